"""Post Office: the Smart City role that owns messaging and realtime delivery.

The Post Office owns the WebSocket Gateway: it creates ``WebSocketGatewayService``,
registers it with Consul and exposes the SOA APIs other services use
(``get_websocket_endpoint``, ``publish_to_agent_channel``, ``subscribe_to_channel``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from backend.smart_city.bases.smart_city_role_base import SmartCityRoleBase
from backend.smart_city.services.post_office.fanout_manager import FanoutManager
from backend.smart_city.services.post_office.session_eviction_manager import (
    SessionEvictionManager,
)
from backend.smart_city.services.post_office.websocket_gateway_service import (
    WebSocketGatewayService,
)

logger = logging.getLogger(__name__)

ChannelHandler = Callable[[dict[str, Any]], Awaitable[None]]

_post_office: PostOfficeService | None = None


class PostOfficeService(SmartCityRoleBase):
    """Smart City role for messaging, events and realtime delivery."""

    service_name = "post_office"

    def __init__(self, di_container: Any) -> None:
        super().__init__(service_name=self.service_name, di_container=di_container)
        self.websocket_gateway: WebSocketGatewayService | None = None
        self.messaging: Any = None

    async def initialize(self) -> bool:
        self.messaging = self.get_abstraction("messaging")
        config = self.config_adapter.get_section("websocket_gateway")
        self.websocket_gateway = WebSocketGatewayService(
            redis_client=self.messaging.redis_client,
            fanout=FanoutManager(max_queue=config.get("max_queue", 256)),
            eviction=SessionEvictionManager(idle_timeout=config.get("idle_timeout", 300)),
        )
        await self.websocket_gateway.start()
        await self.register_with_consul(
            service_name="websocket_gateway",
            capabilities=["websocket", "channels"],
            endpoint="/ws",
        )
        logger.info("Post Office initialised the WebSocket Gateway")
        return True

    # --- SOA APIs -----------------------------------------------------------

    async def get_websocket_endpoint(self) -> dict[str, Any]:
        return {"url": "/ws", "channels": self._gateway().known_channels()}

    async def publish_to_agent_channel(self, channel: str, message: dict[str, Any]) -> int:
        return await self._gateway().publish(channel, message)

    async def subscribe_to_channel(self, channel: str, handler: ChannelHandler) -> None:
        await self._gateway().subscribe(channel, handler)

    async def shutdown(self) -> None:
        if self.websocket_gateway is not None:
            await self.websocket_gateway.stop()

    def _gateway(self) -> WebSocketGatewayService:
        if self.websocket_gateway is None:
            raise RuntimeError("Post Office is not initialised")
        return self.websocket_gateway


def get_post_office() -> PostOfficeService:
    if _post_office is None:
        raise RuntimeError("Post Office is not initialised")
    return _post_office


def set_post_office(service: PostOfficeService) -> None:
    global _post_office
    _post_office = service
