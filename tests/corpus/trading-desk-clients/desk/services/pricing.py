"""Pricing pushes indicative prices to the desk through the gateway's endpoint."""

import json

import websockets

from desk import settings


async def push_prices(prices: dict[str, float]) -> None:
    async with websockets.connect(settings.GATEWAY_WS_URL) as ws:
        await ws.send(json.dumps(prices))
