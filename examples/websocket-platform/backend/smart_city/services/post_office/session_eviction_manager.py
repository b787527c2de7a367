"""Drops sessions whose socket went away (internal to the gateway)."""

from __future__ import annotations

from .fanout_manager import FanoutManager


class SessionEvictionManager:
    def __init__(self, fanout: FanoutManager) -> None:
        self.fanout = fanout

    def evict(self, session_id: str) -> None:
        self.fanout.leave(session_id)
