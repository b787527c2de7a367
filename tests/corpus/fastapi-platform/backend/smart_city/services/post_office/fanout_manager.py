"""Fan-out of channel messages to the client sockets joined to each channel.

Internal to the WebSocket Gateway: nothing outside the Post Office package may
hold client sockets.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from fastapi import WebSocket
from starlette.websockets import WebSocketState

logger = logging.getLogger(__name__)


class FanoutManager:
    def __init__(self, max_queue: int = 256) -> None:
        self._max_queue = max_queue
        self._members: dict[str, set[WebSocket]] = defaultdict(set)

    def add(self, channel: str, websocket: WebSocket) -> None:
        self._members[channel].add(websocket)

    def discard(self, channel: str, websocket: WebSocket) -> None:
        self._members.get(channel, set()).discard(websocket)

    def discard_everywhere(self, websocket: WebSocket) -> None:
        for members in self._members.values():
            members.discard(websocket)

    def channel_sizes(self) -> dict[str, int]:
        return {channel: len(members) for channel, members in self._members.items()}

    async def deliver(self, channel: str, message: dict[str, Any]) -> int:
        """Send one channel message to every socket joined to the channel."""
        envelope = {"channel": channel, "data": message}
        stale: list[WebSocket] = []
        delivered = 0
        for websocket in list(self._members.get(channel, ())):
            if websocket.client_state is not WebSocketState.CONNECTED:
                stale.append(websocket)
                continue
            try:
                await websocket.send_json(envelope)
                delivered += 1
            except (RuntimeError, ConnectionError):
                stale.append(websocket)
        for websocket in stale:
            self.discard_everywhere(websocket)
        if stale:
            logger.debug("dropped %d stale sockets from %s", len(stale), channel)
        return delivered
