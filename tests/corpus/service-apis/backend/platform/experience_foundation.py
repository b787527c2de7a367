"""The Experience Foundation: the SDK services use for realtime features."""

from __future__ import annotations

from typing import Any

_SDK: Any = None


def get_websocket_sdk() -> Any:
    return _SDK
