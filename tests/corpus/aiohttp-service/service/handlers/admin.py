"""Operator console over a websocket (registered in ``service.app``)."""

from __future__ import annotations

import hmac
import json

from aiohttp.web import Request, WebSocketResponse, WSMsgType


async def admin_console(request: Request) -> WebSocketResponse:
    from service.app import CLIENTS, SETTINGS

    token = request.query.get("token", "")
    expected = request.app[SETTINGS].admin_token
    ws = WebSocketResponse(protocols=("admin.v1",))
    await ws.prepare(request)
    if not expected or not hmac.compare_digest(token, expected):
        await ws.close(code=4403, message=b"forbidden")
        return ws
    async for msg in ws:
        if msg.type != WSMsgType.TEXT:
            continue
        command = json.loads(msg.data)
        if command.get("op") == "count":
            await ws.send_json({"clients": len(request.app[CLIENTS])})
        else:
            await ws.send_json({"error": f"unknown op {command.get('op')!r}"})
    return ws
