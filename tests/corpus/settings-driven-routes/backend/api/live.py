"""Live updates for the dashboard. The path is shared with the frontend build via settings."""

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from backend.settings import LIVE_WS_PATH

router = APIRouter()
HEALTH_WS_PATH = "/ws/health"


@router.websocket(LIVE_WS_PATH)
async def live(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            await websocket.receive_text()
    except WebSocketDisconnect:
        return


@router.websocket(HEALTH_WS_PATH)
async def health(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_json({"ok": True})
    await websocket.close()
