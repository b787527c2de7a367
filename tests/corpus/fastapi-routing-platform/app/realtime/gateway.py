"""The realtime gateway: the websocket endpoint the trading UI is meant to use."""

from fastapi import APIRouter, WebSocket

router = APIRouter(prefix="/realtime", tags=["realtime"])


@router.websocket(
    "/ws",
    name="gateway",
)
async def gateway_socket(websocket: WebSocket) -> None:
    await websocket.accept()
    async for message in websocket.iter_text():
        await websocket.send_text(message)
