"""Client for the risk engine's streaming API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp


class RiskEngineClient:
    def __init__(self, base_url: str, session: aiohttp.ClientSession) -> None:
        self._base_url = base_url.rstrip("/")
        self._session = session

    async def limits(self, account: str) -> dict[str, Any]:
        async with self._session.get(f"{self._base_url}/v1/limits/{account}") as response:
            response.raise_for_status()
            return await response.json()

    async def exposure_updates(self, account: str) -> AsyncIterator[dict[str, Any]]:
        async with self._session.ws_connect(
            f"{self._base_url}/v1/exposure/stream",
            params={"account": account},
        ) as ws:
            async for msg in ws:
                if msg.type == aiohttp.WSMsgType.TEXT:
                    yield msg.json()
