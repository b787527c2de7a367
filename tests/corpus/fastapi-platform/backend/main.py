"""ASGI entry point of the platform backend (``uvicorn backend.main:app``)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from backend.api import websocket_gateway_router
from backend.api.admin_console import register_admin_console
from backend.foundations.di_container import DIContainerService
from backend.infrastructure.adapters.realtime_adapter import RealtimeAdapter
from backend.smart_city.services.post_office.post_office_service import (
    PostOfficeService,
    set_post_office,
)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    container = DIContainerService(realm="smart_city")
    post_office = PostOfficeService(di_container=container)
    await post_office.initialize()
    set_post_office(post_office)
    realtime = RealtimeAdapter(port=int(os.environ.get("REALTIME_PORT", "8765")))
    container.register_adapter("realtime", realtime)
    await realtime.connect()
    try:
        yield
    finally:
        await realtime.disconnect()
        await post_office.shutdown()


def create_app() -> FastAPI:
    app = FastAPI(title="Smart City Platform", lifespan=lifespan)
    app.include_router(websocket_gateway_router.router)
    if os.environ.get("ADMIN_CONSOLE_ENABLED") == "1":
        register_admin_console(app)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


app = create_app()
