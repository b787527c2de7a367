"""The WebSocket gateway: accepts connections and routes by logical channels."""

import redis.asyncio as aioredis
from starlette.websockets import WebSocket as Socket

GUIDE = "guide"


class WebSocketGatewayService:
    def __init__(self, post_office, redis_url: str) -> None:
        self.post_office = post_office
        self.redis = aioredis.from_url(redis_url)
        self.sockets: dict[str, set[Socket]] = {}

    async def start(self) -> None:
        self.pubsub = self.redis.pubsub()
        await self.pubsub.subscribe(GUIDE)

    async def publish(self, channel: str, message: str) -> None:
        await self.redis.publish(channel, message)

    async def deliver(self, channel: str, message: str) -> None:
        for socket in self.sockets.get(channel, set()):
            await socket.send_text(message)
