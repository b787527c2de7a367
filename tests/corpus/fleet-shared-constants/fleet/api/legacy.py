"""The old tracker protocol, kept until the last v1 devices are retired."""

from fastapi import APIRouter, WebSocket

import fleet.settings as s

router = APIRouter()


@router.websocket(s.LEGACY_WS_PATH)
async def legacy_tracker(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text("v1")
    await websocket.close()
