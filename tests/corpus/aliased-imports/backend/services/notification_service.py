"""Notification service: reaches for abstractions under aliases."""

from backend.infrastructure import abstractions as sa
from backend.infrastructure.abstractions import session_abstraction as session
from backend.infrastructure.abstractions import websocket_abstraction as wsa
from backend.infrastructure.registry import get_abstraction as lookup


class NotificationService:
    async def notify(self, user_id: str, text: str) -> None:
        await wsa.send(user_id, text)

    async def broadcast(self, text: str) -> None:
        await sa.websocket_abstraction.broadcast(text)

    async def remember(self, user_id: str) -> None:
        await session.connect(user_id)

    def cache(self):
        return lookup("cache")
