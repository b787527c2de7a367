"""Legacy chat router from before the WebSocket Gateway.

Kept while the v1 mobile app is still supported; new clients use ``/ws``.
"""

from __future__ import annotations

from collections import deque

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

legacy_router = APIRouter(tags=["legacy"])


class LegacyChatGateway:
    """In-memory chat history for the v1 app (no persistence, no channels)."""

    def __init__(self, history_limit: int = 100) -> None:
        self._history: dict[str, deque[str]] = {}
        self._limit = history_limit

    def record(self, room: str, text: str) -> None:
        self._history.setdefault(room, deque(maxlen=self._limit)).append(text)

    def history(self, room: str) -> list[str]:
        return list(self._history.get(room, ()))


class ConnectionManager:
    def __init__(self) -> None:
        self.active_connections: list[WebSocket] = []

    async def connect(self, websocket: WebSocket) -> None:
        await websocket.accept()
        self.active_connections.append(websocket)

    def disconnect(self, websocket: WebSocket) -> None:
        self.active_connections.remove(websocket)

    async def broadcast(self, message: str) -> None:
        for connection in self.active_connections:
            await connection.send_text(message)


manager = ConnectionManager()
chat_gateway = LegacyChatGateway(history_limit=200)


@legacy_router.websocket(
    "/api/ws/chat",
    name="legacy-chat",
)
async def legacy_chat(websocket: WebSocket, room: str = "general") -> None:
    await manager.connect(websocket)
    for line in chat_gateway.history(room):
        await websocket.send_text(line)
    try:
        while True:
            text = await websocket.receive_text()
            chat_gateway.record(room, text)
            await manager.broadcast(f"{room}: {text}")
    except WebSocketDisconnect:
        manager.disconnect(websocket)
