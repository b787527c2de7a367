"""Engineers tail a vehicle's diagnostics stream while on a support call."""

from fastapi import APIRouter, WebSocket

from fleet.constants import *  # noqa: F403

router = APIRouter(prefix="/support")


@router.websocket(DIAGNOSTICS_WS_PATH)  # noqa: F405
async def diagnostics(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_json({"status": "attached"})
    await websocket.close()
