"""A partner's SDK defines where its push channel lives."""

from fastapi import APIRouter, WebSocket
from partner_sdk.paths import PARTNER_PUSH_PATH

router = APIRouter()


@router.websocket(PARTNER_PUSH_PATH)
async def partner_push(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.close()
