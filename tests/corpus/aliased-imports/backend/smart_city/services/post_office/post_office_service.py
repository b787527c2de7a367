"""The Post Office owns the gateway; it creates it under an alias of its own."""

from .websocket_gateway_service import WebSocketGatewayService as GatewayImpl


class PostOfficeService:
    def __init__(self, redis_url: str) -> None:
        self.redis_url = redis_url
        self.gateway = None

    async def initialize(self) -> None:
        self.gateway = GatewayImpl(post_office=self, redis_url=self.redis_url)
        await self.gateway.start()

    async def publish_to_agent_channel(self, agent: str, message: str) -> None:
        await self.gateway.publish(f"agent:{agent}", message)
