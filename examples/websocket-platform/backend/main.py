"""The platform's ASGI application: HTTP routers plus the single WebSocket gateway route."""

from fastapi import FastAPI

from backend.api import content_router, websocket_gateway_router
from backend.smart_city.services.post_office.post_office_service import PostOfficeService

app = FastAPI(title="Smart City Platform")
app.include_router(content_router.router)
app.include_router(websocket_gateway_router.router)


@app.on_event("startup")
async def start_post_office() -> None:
    app.state.post_office = PostOfficeService.from_settings()
    await app.state.post_office.start()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
