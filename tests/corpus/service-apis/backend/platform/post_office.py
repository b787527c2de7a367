"""The Post Office's SOA APIs as services call them: ``get_websocket_endpoint()``,
``publish_to_agent_channel(channel, message)`` and ``subscribe_to_channel(channel, handler)``.
Defining them is not calling them."""

from __future__ import annotations

from typing import Any, Awaitable, Callable


class PostOfficeClient:
    def __init__(self, transport: Any) -> None:
        self.transport = transport

    def get_websocket_endpoint(self) -> str:
        return "/ws"

    async def publish_to_agent_channel(self, channel: str, message: dict[str, Any]) -> None:
        await self.transport.post("/post-office/channels/" + channel, message)

    async def subscribe_to_channel(
        self, channel: str, handler: Callable[[dict[str, Any]], Awaitable[None]]
    ) -> None:
        await self.transport.listen("/post-office/channels/" + channel, handler)
