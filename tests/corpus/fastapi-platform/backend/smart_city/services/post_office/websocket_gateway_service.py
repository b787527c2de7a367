"""WebSocket Gateway service: the one place where client sockets meet channels.

Clients connect to ``/ws`` and join logical channels (``guide``,
``pillar:content``, ``pillar:insights``, ``agent:<id>``). Every message is
published to Redis under its channel; each gateway instance subscribes to the
channels its clients joined and hands incoming messages to the fan-out manager,
so any instance can serve any client. Services never see sockets: they publish
through the Post Office.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import WebSocket
from redis.asyncio import Redis

from backend.smart_city.services.post_office.fanout_manager import FanoutManager
from backend.smart_city.services.post_office.session_eviction_manager import (
    SessionEvictionManager,
)

logger = logging.getLogger(__name__)

GUIDE_CHANNEL = "guide"
SYSTEM_CHANNEL = "system:broadcast"
PILLAR_CHANNELS = ("pillar:content", "pillar:insights", "pillar:operations")

ChannelHandler = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass
class ConnectedClient:
    session_id: str
    websocket: WebSocket
    channels: set[str] = field(default_factory=set)


class WebSocketGatewayService:
    """Accepts client sockets and routes messages between them and Redis channels."""

    def __init__(
        self,
        redis_client: Redis,
        fanout: FanoutManager,
        eviction: SessionEvictionManager,
    ) -> None:
        self._redis = redis_client
        self._pubsub = redis_client.pubsub(ignore_subscribe_messages=True)
        self._fanout = fanout
        self._eviction = eviction
        self._clients: dict[str, ConnectedClient] = {}
        self._handlers: dict[str, list[ChannelHandler]] = {}
        self._listener: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._pubsub.subscribe(GUIDE_CHANNEL)
        await self._pubsub.subscribe(SYSTEM_CHANNEL)
        await self._pubsub.psubscribe("pillar:*")
        self._listener = asyncio.create_task(self._listen(), name="websocket-gateway-listener")
        self._eviction.start(self)

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
        for client in list(self._clients.values()):
            await client.websocket.close(code=1001)
        await self._pubsub.aclose()

    def known_channels(self) -> list[str]:
        return [GUIDE_CHANNEL, SYSTEM_CHANNEL, *PILLAR_CHANNELS]

    def stats(self) -> dict[str, Any]:
        return {"clients": len(self._clients), "channels": self._fanout.channel_sizes()}

    # --- client side --------------------------------------------------------

    async def accept(self, websocket: WebSocket) -> ConnectedClient:
        await websocket.accept()
        client = ConnectedClient(session_id=uuid.uuid4().hex, websocket=websocket)
        self._clients[client.session_id] = client
        self._eviction.track(client.session_id, websocket)
        await websocket.send_json(
            {"type": "welcome", "session_id": client.session_id, "channels": self.known_channels()}
        )
        return client

    async def handle_client_message(self, client: ConnectedClient, message: dict[str, Any]) -> None:
        self._eviction.touch(client.session_id)
        kind = message.get("type")
        if kind == "join":
            self.join_channel(client, message["channel"])
        elif kind == "leave":
            self.leave_channel(client, message["channel"])
        elif kind == "guide.ask":
            question = {"session_id": client.session_id, "data": message.get("data")}
            await self._redis.publish(GUIDE_CHANNEL, json.dumps(question))
        elif kind == "content.update":
            update = {"session_id": client.session_id, "data": message.get("data")}
            await self._redis.publish("pillar:content", json.dumps(update))
        else:
            await client.websocket.send_json({"type": "error", "reason": f"unknown type {kind!r}"})

    def join_channel(self, client: ConnectedClient, channel: str) -> None:
        client.channels.add(channel)
        self._fanout.add(channel, client.websocket)

    def leave_channel(self, client: ConnectedClient, channel: str) -> None:
        client.channels.discard(channel)
        self._fanout.discard(channel, client.websocket)

    async def release(self, client: ConnectedClient) -> None:
        self._clients.pop(client.session_id, None)
        self._eviction.forget(client.session_id)
        self._fanout.discard_everywhere(client.websocket)

    async def release_by_id(self, session_id: str) -> None:
        client = self._clients.get(session_id)
        if client is not None:
            await self.release(client)

    # --- service side -------------------------------------------------------

    async def publish(self, channel: str, message: dict[str, Any]) -> int:
        """Publish to a logical channel; every gateway instance fans it out."""
        return await self._redis.publish(channel, json.dumps(message))

    async def subscribe(self, channel: str, handler: ChannelHandler) -> None:
        """Let a service react to messages on a channel (agent channels, mostly)."""
        first = channel not in self._handlers
        self._handlers.setdefault(channel, []).append(handler)
        if first and not channel.startswith("pillar:"):
            await self._pubsub.subscribe(channel)

    async def _listen(self) -> None:
        async for raw in self._pubsub.listen():
            channel = raw["channel"].decode() if isinstance(raw["channel"], bytes) else raw["channel"]
            try:
                message = json.loads(raw["data"])
            except (TypeError, ValueError):
                logger.warning("dropping malformed message on %s", channel)
                continue
            await self._fanout.deliver(channel, message)
            for handler in self._handlers.get(channel, []):
                await handler(message)
