"""Live service metrics for the ops dashboard."""

from __future__ import annotations

import asyncio
import time

from aiohttp import web

routes = web.RouteTableDef()

STARTED = time.monotonic()


async def send_snapshot(ws: web.WebSocketResponse, app: web.Application) -> None:
    from service.app import CLIENTS

    await ws.send_json({"uptime": time.monotonic() - STARTED, "clients": len(app[CLIENTS])})


@routes.get("/ws/metrics")
async def metrics_stream(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse(heartbeat=15.0)
    await ws.prepare(request)
    while not ws.closed:
        await send_snapshot(ws, request.app)
        await asyncio.sleep(5)
    return ws


@routes.get("/websocket/docs")
async def websocket_docs(request: web.Request) -> web.Response:
    """Plain HTTP: describes the websocket endpoints for client authors."""
    return web.json_response(
        {
            "/ws": "chat and price updates",
            "/ws/metrics": "service metrics every 5 s",
            "/admin/ws": "operator console (token required)",
        }
    )
