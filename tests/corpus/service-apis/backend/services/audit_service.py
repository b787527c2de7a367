"""Audit trail replays. Its bus has methods named like the Post Office's; none of them is one."""

from __future__ import annotations

from typing import Any


class AuditService:
    def __init__(self, bus: Any, sdk_registry: Any) -> None:
        self.bus = bus
        self.sdk_registry = sdk_registry

    async def replay(self, events: list[dict[str, Any]]) -> Any:
        # republishing on the local bus is not a Post Office API
        await self.bus.republish_to_agent_channel("audit", events)
        self.bus.subscribe_to_channels(["audit"])
        config = self.sdk_registry.get_websocket_sdk_config()
        # a reference kept for later, not a call
        handler = self.bus.publish_to_agent_channel
        # await self.post_office.publish_to_agent_channel("audit", events)
        return config, handler
