"""Redis pub/sub wrapper shared by the handlers and the upstream feed."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from redis.asyncio import Redis

PRICES_PATTERN = "prices.*"
CHAT_CHANNEL = "chat:lobby"


class RedisPubSub:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def publish_chat(self, text: str) -> int:
        return await self._redis.publish(CHAT_CHANNEL, text)

    async def publish_price(self, symbol: str, price: float) -> None:
        payload = json.dumps({"symbol": symbol, "price": price})
        await self._redis.set(f"last_price:{symbol}", payload)
        await self._redis.publish(f"prices.{symbol}", payload)

    async def prices(self) -> AsyncIterator[str]:
        pubsub = self._redis.pubsub()
        await pubsub.psubscribe(PRICES_PATTERN)
        try:
            async for message in pubsub.listen():
                if message["type"] == "pmessage":
                    yield message["data"].decode()
        finally:
            await pubsub.punsubscribe(PRICES_PATTERN)
            await pubsub.aclose()

    async def orders(self) -> AsyncIterator[dict[str, Any]]:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe("orders")
        try:
            async for message in pubsub.listen():
                yield json.loads(message["data"])
        finally:
            await pubsub.aclose()

    async def close(self) -> None:
        await self._redis.aclose()
