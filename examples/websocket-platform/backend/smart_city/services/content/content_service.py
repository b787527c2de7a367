"""The content pillar. It tells clients about new content through the Post Office, never
through a websocket of its own."""

from __future__ import annotations


class ContentService:
    def __init__(self, post_office, repository) -> None:
        self.post_office = post_office
        self.repository = repository

    async def get_item(self, item_id: str) -> dict:
        item = await self.repository.get(item_id)
        return item.to_dict()

    async def publish(self, item_id: str) -> None:
        await self.repository.mark_published(item_id)
        await self.post_office.publish_to_agent_channel("pillar:content", {"item": item_id})
