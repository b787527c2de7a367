"""Operator console: a live view of gateway sessions for on-call engineers.

Mounted by ``backend.main.create_app`` when ``ADMIN_CONSOLE_ENABLED`` is set.
"""

from __future__ import annotations

import asyncio
import hmac
import os

from fastapi import FastAPI, WebSocket, WebSocketDisconnect

from backend.smart_city.services.post_office.post_office_service import get_post_office

WS_PATH = "/ws/admin"
REFRESH_SECONDS = 2.0
_OPERATOR_TOKEN = os.environ.get("ADMIN_CONSOLE_TOKEN", "")


def _is_operator(token: str | None) -> bool:
    return bool(_OPERATOR_TOKEN) and token is not None and hmac.compare_digest(
        token, _OPERATOR_TOKEN
    )


async def admin_console_socket(websocket: WebSocket) -> None:
    """Stream gateway statistics to an authenticated operator."""
    if not _is_operator(websocket.query_params.get("token")):
        await websocket.close(code=4403)
        return
    await websocket.accept()
    gateway = get_post_office().websocket_gateway
    try:
        while True:
            await websocket.send_json(gateway.stats())
            await asyncio.sleep(REFRESH_SECONDS)
    except WebSocketDisconnect:
        return


def register_admin_console(app: FastAPI) -> None:
    app.add_api_websocket_route(WS_PATH, admin_console_socket, name="admin-console")
