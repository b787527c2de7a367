"""Catalog websocket handlers (Litestar)."""

from litestar import WebSocket, websocket
from litestar.handlers import websocket_listener


@websocket("/prices")
async def prices(socket: WebSocket) -> None:
    await socket.accept()
    await socket.send_json({"sku": "A-1", "price": 10})


@websocket_listener("/orders")
async def orders(data: dict) -> dict:
    return {"received": data}
