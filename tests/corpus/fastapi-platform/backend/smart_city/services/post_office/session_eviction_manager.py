"""Evicts idle gateway sessions so dead mobile connections do not pile up."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from fastapi import WebSocket

if TYPE_CHECKING:
    from backend.smart_city.services.post_office.websocket_gateway_service import (
        WebSocketGatewayService,
    )

logger = logging.getLogger(__name__)

IDLE_CLOSE_CODE = 4408


class SessionEvictionManager:
    def __init__(self, idle_timeout: float = 300.0, sweep_interval: float = 30.0) -> None:
        self._idle_timeout = idle_timeout
        self._sweep_interval = sweep_interval
        self._last_seen: dict[str, float] = {}
        self._sockets: dict[str, WebSocket] = {}
        self._task: asyncio.Task[None] | None = None

    def track(self, session_id: str, websocket: WebSocket) -> None:
        self._sockets[session_id] = websocket
        self._last_seen[session_id] = time.monotonic()

    def touch(self, session_id: str) -> None:
        self._last_seen[session_id] = time.monotonic()

    def forget(self, session_id: str) -> None:
        self._sockets.pop(session_id, None)
        self._last_seen.pop(session_id, None)

    def start(self, gateway: WebSocketGatewayService) -> None:
        self._task = asyncio.create_task(self._sweep_forever(gateway), name="session-eviction")

    async def _sweep_forever(self, gateway: WebSocketGatewayService) -> None:
        while True:
            await asyncio.sleep(self._sweep_interval)
            evicted = await self.evict_idle(gateway)
            if evicted:
                logger.info("evicted %d idle sessions", evicted)

    async def evict_idle(self, gateway: WebSocketGatewayService) -> int:
        now = time.monotonic()
        idle = [
            (session_id, websocket)
            for session_id, websocket in self._sockets.items()
            if now - self._last_seen.get(session_id, now) > self._idle_timeout
        ]
        for session_id, websocket in idle:
            try:
                await websocket.send_json({"type": "session_expired", "reason": "idle"})
                await websocket.close(code=IDLE_CLOSE_CODE)
            except RuntimeError:
                logger.debug("session %s already closed", session_id)
            await gateway.release_by_id(session_id)
        return len(idle)
