"""The Post Office: owns the WebSocket gateway and offers channel APIs to the other services."""

from __future__ import annotations

import os
from typing import Any

import redis.asyncio as redis

from .websocket_gateway_service import WebSocketGatewayService


class PostOfficeService:
    """Creates and manages the WebSocket gateway; services publish and subscribe through it."""

    def __init__(self, redis_client: redis.Redis) -> None:
        self.redis = redis_client
        self.websocket_gateway = WebSocketGatewayService(redis_client)
        self.services: Any = None

    @classmethod
    def from_settings(cls) -> PostOfficeService:
        return cls(redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0")))

    async def start(self) -> None:
        await self.websocket_gateway.start()
        await self.register_with_consul()

    async def register_with_consul(self) -> None:
        """Announce the gateway endpoint so clients can discover it."""

    def get_websocket_endpoint(self) -> str:
        return "/ws"

    async def publish_to_agent_channel(self, channel: str, message: dict) -> None:
        await self.websocket_gateway.route_to_channel(channel, message)

    async def subscribe_to_channel(self, channel: str) -> None:
        await self.websocket_gateway.subscribe_channel(channel)
