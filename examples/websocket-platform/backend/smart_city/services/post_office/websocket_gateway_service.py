"""The WebSocket gateway: accepts connections from the `/ws` endpoint and routes messages by
logical channels (`guide`, `pillar:content`, ...) over Redis pub/sub, never socket by socket."""

from __future__ import annotations

import json
import uuid

import redis.asyncio as redis
from fastapi import WebSocket, WebSocketDisconnect

from .fanout_manager import FanoutManager
from .session_eviction_manager import SessionEvictionManager

DEFAULT_CHANNELS = ("guide", "pillar:content")


class WebSocketGatewayService:
    def __init__(self, redis_client: redis.Redis) -> None:
        self.redis = redis_client
        self.pubsub = redis_client.pubsub()
        self.fanout = FanoutManager()
        self.eviction = SessionEvictionManager(self.fanout)

    async def start(self) -> None:
        await self.pubsub.subscribe("guide", "pillar:content")

    async def handle_connection(self, websocket: WebSocket) -> None:
        await websocket.accept()
        session_id = str(uuid.uuid4())
        self.fanout.join(session_id, websocket, DEFAULT_CHANNELS)
        try:
            while True:
                message = json.loads(await websocket.receive_text())
                await self.route_to_channel(message["channel"], message["payload"])
        except WebSocketDisconnect:
            self.eviction.evict(session_id)

    async def route_to_channel(self, channel: str, payload: dict) -> None:
        await self.redis.publish(channel, json.dumps(payload))

    async def subscribe_channel(self, channel: str) -> None:
        await self.pubsub.subscribe(channel)

    async def deliver(self) -> None:
        async for message in self.pubsub.listen():
            if message["type"] == "message":
                await self.fanout.fan_out(message["channel"], message["data"])
