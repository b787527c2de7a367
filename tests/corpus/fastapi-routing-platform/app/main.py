"""ASGI entry point (``uvicorn app.main:app``): the versioned API, the realtime gateway, the
admin console and the market-data streams, each mounted where clients reach them."""

from fastapi import FastAPI

from app import streaming
from app.admin import console
from app.api import v1
from app.realtime.gateway import router as gateway_router
from app.settings import settings

app = FastAPI(title="Trading Desk")

app.include_router(v1.api_router, prefix="/api")
app.include_router(gateway_router)
# The admin console moves with the deployment (e.g. "/_ops" behind the VPN).
app.include_router(console.router, prefix=settings.ADMIN_PREFIX)
app.mount("/stream", streaming.stream_app)


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
