"""Content service: creates its own gateway under an alias (a rogue instantiation)."""

from backend.smart_city.services.post_office.websocket_gateway_service import (
    WebSocketGatewayService as G,
)


class ContentService:
    def __init__(self, redis_url: str) -> None:
        self.redis_url = redis_url

    async def start_live_updates(self) -> None:
        self.live = G(post_office=None, redis_url=self.redis_url)
        await self.live.start()
