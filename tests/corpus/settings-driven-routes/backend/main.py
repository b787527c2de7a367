"""The API service."""

from fastapi import FastAPI, WebSocket

from backend import settings as config
from backend.api import live
from backend.settings import settings

app = FastAPI(title="ops")
app.include_router(live.router)


async def admin_console(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text("admin")


app.add_api_websocket_route(settings.admin_ws_path, admin_console)

if config.DEBUG:
    app.add_api_websocket_route(f"{config.LIVE_WS_PATH}/debug", admin_console)
