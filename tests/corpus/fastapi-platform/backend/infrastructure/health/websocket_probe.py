"""Synthetic health probe for the gateway: connects like a client would and
measures the welcome round trip. Run by the ops health-check job."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass

from websockets.asyncio.client import connect


@dataclass(frozen=True)
class ProbeResult:
    healthy: bool
    latency_ms: float
    detail: str = ""


async def probe_gateway(host: str, port: int, timeout: float = 5.0) -> ProbeResult:
    url = f"ws://{host}:{port}/ws"
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            async with connect(url, open_timeout=timeout) as websocket:
                welcome = json.loads(await websocket.recv())
    except (OSError, TimeoutError, ValueError) as exc:
        return ProbeResult(False, (time.perf_counter() - started) * 1000, repr(exc))
    healthy = welcome.get("type") == "welcome"
    return ProbeResult(healthy, (time.perf_counter() - started) * 1000)
