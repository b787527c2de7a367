"""Routes kept for old clients: websocket routes registered under aliases."""

from starlette import routing as starlette_routing
from starlette.routing import WebSocketRoute as WSRoute


async def legacy_chat(socket) -> None:
    await socket.accept()


async def legacy_feed(socket) -> None:
    await socket.accept()


routes = [
    WSRoute("/ws/legacy", legacy_chat),
    starlette_routing.WebSocketRoute("/ws/feed", legacy_feed),
]
