"""Realtime adapter: pushes infrastructure events (job progress, file
processing status) straight to connected browser sessions.

Infrastructure layer: the ``realtime`` abstraction wraps this adapter.
"""

from __future__ import annotations

import json
import logging
from typing import Any

try:
    import websockets as ws_lib
    from websockets.exceptions import ConnectionClosed
except ImportError:  # pragma: no cover - websockets is an optional extra
    ws_lib = None
    ConnectionClosed = Exception

logger = logging.getLogger(__name__)


class RealtimeAdapter:
    """Runs a small websocket server next to the API for progress events."""

    def __init__(self, host: str = "0.0.0.0", port: int = 8765) -> None:
        self.host = host
        self.port = port
        self._clients: set[Any] = set()
        self._server: Any = None

    async def connect(self) -> None:
        if ws_lib is None:
            raise RuntimeError("install the 'realtime' extra to use RealtimeAdapter")
        self._server = await ws_lib.serve(
            self._handle_client,
            self.host,
            self.port,
            ping_interval=20,
        )
        logger.info("realtime adapter listening on %s:%d", self.host, self.port)

    async def disconnect(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _handle_client(self, connection: Any) -> None:
        self._clients.add(connection)
        try:
            async for raw in connection:
                if json.loads(raw).get("type") == "ping":
                    await connection.send(json.dumps({"type": "pong"}))
        except ConnectionClosed:
            pass
        finally:
            self._clients.discard(connection)

    async def push_event(self, event_type: str, payload: dict[str, Any]) -> int:
        message = json.dumps({"type": event_type, "payload": payload})
        delivered = 0
        for client in list(self._clients):
            try:
                await client.send(message)
                delivered += 1
            except ConnectionClosed:
                self._clients.discard(client)
        return delivered
