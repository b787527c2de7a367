"""Infrastructure abstractions, created once per process."""

from backend.infrastructure.registry import build_abstraction

websocket_abstraction = build_abstraction("websocket")
session_abstraction = build_abstraction("session")
cache_abstraction = build_abstraction("cache")
