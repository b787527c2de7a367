"""Market-data streams: a plain Starlette app the main app mounts at /stream."""

from starlette.applications import Starlette
from starlette.routing import Mount, WebSocketRoute
from starlette.websockets import WebSocket


async def ticker(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_json({"symbol": "ACME", "price": 101.5})


async def quotes(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_json({"bid": 101.4, "ask": 101.6})


stream_app = Starlette(
    routes=[
        WebSocketRoute("/ticker", ticker),
        Mount(
            "/markets",
            routes=[
                WebSocketRoute("/quotes", quotes),
            ],
        ),
    ]
)
