"""Settlement status, streamed from whichever socket the deployment names."""

import aiohttp

from desk.settings import SETTLEMENT_URL


async def follow_settlements(session: aiohttp.ClientSession, handle) -> None:
    async with session.ws_connect(SETTLEMENT_URL) as ws:
        async for message in ws:
            handle(message.json())


async def follow(session: aiohttp.ClientSession, url: str, handle) -> None:
    async with session.ws_connect(url) as ws:
        async for message in ws:
            handle(message.json())
