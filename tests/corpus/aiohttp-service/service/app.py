"""Application factory: routes, shared state and background relays."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator

from aiohttp import WSMsgType, web
from redis.asyncio import Redis

from service.clients.market_data import MarketDataFeed
from service.config import Settings
from service.handlers import admin, metrics
from service.pubsub import RedisPubSub

logger = logging.getLogger(__name__)

CLIENTS = web.AppKey("clients", weakref.WeakSet)
PUBSUB = web.AppKey("pubsub", RedisPubSub)
SETTINGS = web.AppKey("settings", Settings)


async def websocket_handler(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse(heartbeat=30.0)
    await ws.prepare(request)
    clients = request.app[CLIENTS]
    clients.add(ws)
    try:
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                await request.app[PUBSUB].publish_chat(msg.data)
            elif msg.type == WSMsgType.ERROR:
                logger.warning("websocket closed with %s", ws.exception())
    finally:
        clients.discard(ws)
    return ws


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "clients": len(request.app[CLIENTS])})


async def relay_prices(app: web.Application) -> AsyncIterator[None]:
    async def relay() -> None:
        async for message in app[PUBSUB].prices():
            await asyncio.gather(*(ws.send_str(message) for ws in set(app[CLIENTS])))

    task = asyncio.create_task(relay())
    yield
    task.cancel()


async def redis_context(app: web.Application) -> AsyncIterator[None]:
    app[PUBSUB] = RedisPubSub(Redis.from_url(app[SETTINGS].redis_url))
    feed = MarketDataFeed(app[PUBSUB])
    feed_task = asyncio.create_task(feed.run())
    yield
    feed_task.cancel()
    await app[PUBSUB].close()


def create_app(settings: Settings) -> web.Application:
    app = web.Application()
    app[SETTINGS] = settings
    app[CLIENTS] = weakref.WeakSet()
    app.cleanup_ctx.extend([redis_context, relay_prices])
    app.router.add_get("/ws", websocket_handler)
    app.router.add_get("/admin/ws", admin.admin_console)
    app.router.add_get("/health", health)
    app.add_routes(metrics.routes)
    return app
