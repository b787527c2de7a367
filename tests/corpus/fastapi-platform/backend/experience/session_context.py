"""Per-request context handed to Experience Foundation handlers."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import WebSocket


@dataclass(frozen=True)
class ClientContext:
    user_id: str
    tenant_id: str
    session_id: str
    websocket: WebSocket | None = None

    @property
    def is_realtime(self) -> bool:
        return self.websocket is not None
