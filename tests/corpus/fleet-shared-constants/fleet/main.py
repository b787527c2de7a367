"""The fleet API: vehicles, replays, the legacy tracker, partner pushes and diagnostics."""

from fastapi import FastAPI

from fleet import settings
from fleet.api import diagnostics, legacy, partners, replay, vehicles

app = FastAPI(title="fleet")

app.include_router(vehicles.router)
app.include_router(replay.router)
app.include_router(legacy.router)
app.include_router(partners.router)
app.include_router(diagnostics.router, prefix=settings.API_PREFIX)


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok", "log_level": settings.LOG_LEVEL}
