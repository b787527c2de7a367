"""Inventory controller: its handlers live below its path."""

from litestar import Controller, WebSocket, get, websocket


class InventoryController(Controller):
    path = "/inventory"

    @get("/websocket-status")
    async def status(self) -> dict:
        return {"ok": True}

    @websocket("/stream")
    async def stream(self, socket: WebSocket) -> None:
        await socket.accept()
