"""Upstream exchange feed: reads ticks and republishes them on Redis."""

from __future__ import annotations

import asyncio
import json
import logging

import aiohttp

from service.pubsub import RedisPubSub

logger = logging.getLogger(__name__)


class MarketDataFeed:
    def __init__(self, pubsub: RedisPubSub) -> None:
        self._pubsub = pubsub

    async def symbols(self, session: aiohttp.ClientSession) -> list[str]:
        async with session.get("https://feed.exchange.example/v2/symbols") as response:
            response.raise_for_status()
            return [item["symbol"] for item in await response.json()]

    async def run(self) -> None:
        async with aiohttp.ClientSession() as session:
            while True:
                try:
                    await self._stream(session)
                except aiohttp.ClientError:
                    logger.exception("feed connection lost; reconnecting")
                    await asyncio.sleep(2)

    async def _stream(self, session: aiohttp.ClientSession) -> None:
        symbols = await self.symbols(session)
        async with session.ws_connect("wss://feed.exchange.example/v2/stream", heartbeat=15) as ws:
            await ws.send_json({"op": "subscribe", "symbols": symbols})
            async for msg in ws:
                if msg.type == aiohttp.WSMsgType.TEXT:
                    tick = json.loads(msg.data)
                    await self._pubsub.publish_price(tick["s"], float(tick["p"]))
