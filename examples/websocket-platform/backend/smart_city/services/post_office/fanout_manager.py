"""Fan-out of channel messages to the sockets subscribed to them (internal to the gateway)."""

from __future__ import annotations

from collections import defaultdict

from fastapi import WebSocket


class FanoutManager:
    def __init__(self) -> None:
        self.sockets: dict[str, WebSocket] = {}
        self.channels: dict[str, set[str]] = defaultdict(set)

    def join(self, session_id: str, websocket: WebSocket, channels: tuple[str, ...]) -> None:
        self.sockets[session_id] = websocket
        for channel in channels:
            self.channels[channel].add(session_id)

    def leave(self, session_id: str) -> None:
        self.sockets.pop(session_id, None)
        for members in self.channels.values():
            members.discard(session_id)

    async def fan_out(self, channel: str, data: str) -> None:
        for session_id in list(self.channels.get(channel, ())):
            await self.sockets[session_id].send_text(data)
