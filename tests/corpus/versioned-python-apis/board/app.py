"""Ops board (Starlette): live panels behind an inline router, and a host-routed pulse."""

from starlette.applications import Starlette
from starlette.routing import Host, Mount, Router, WebSocketRoute


async def panel(websocket):
    await websocket.accept()


app = Starlette(
    routes=[
        Mount("/board", app=Router(routes=[WebSocketRoute("/panels", panel)])),
        Host("status.example.com", app=Router(routes=[WebSocketRoute("/pulse", panel)])),
    ]
)
