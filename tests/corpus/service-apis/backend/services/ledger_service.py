"""The ledger pillar: it tells agents about postings through the Post Office and takes its
realtime features from the Experience Foundation SDK, never from a socket of its own."""

from __future__ import annotations

from typing import Any

from backend.platform import experience_foundation
from backend.platform.experience_foundation import get_websocket_sdk

LEDGER_CHANNEL = "pillar:ledger"


class LedgerService:
    def __init__(self, container: Any) -> None:
        self.post_office = container.get_service("PostOfficeService")
        self.sdk = experience_foundation.get_websocket_sdk()

    async def post(self, entry: dict[str, Any]) -> None:
        await self.post_office.publish_to_agent_channel(LEDGER_CHANNEL, {"entry": entry})

    async def follow(self) -> None:
        await self.post_office.subscribe_to_channel(
            LEDGER_CHANNEL,
            self.on_message,
        )

    async def on_message(self, message: dict[str, Any]) -> None:
        self.last = message

    def connect_info(self) -> str:
        return get_websocket_sdk().endpoint_for("ledger")
