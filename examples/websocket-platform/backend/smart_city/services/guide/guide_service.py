"""The guide agent: uses the Experience Foundation SDK for realtime features."""

from __future__ import annotations


class GuideService:
    def __init__(self, experience_foundation, post_office) -> None:
        self.sdk = experience_foundation.get_websocket_sdk()
        self.post_office = post_office

    async def greet(self, user_id: str) -> None:
        await self.post_office.publish_to_agent_channel("guide", {"user": user_id, "text": "Hi"})

    def endpoint(self) -> str:
        return self.post_office.get_websocket_endpoint()
