"""Reads the exchange's market data stream and publishes it on the desk's quote channel."""

import websockets

from desk.settings import MARKET_DATA_URL


async def pump_quotes(redis) -> None:
    async with websockets.connect(MARKET_DATA_URL) as upstream:
        async for quote in upstream:
            await redis.publish("desk.quotes", quote)
