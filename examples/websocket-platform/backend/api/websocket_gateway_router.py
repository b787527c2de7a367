"""The one WebSocket endpoint of the platform. It only accepts the connection and hands it to
the gateway service, which the Post Office owns."""

from fastapi import APIRouter, WebSocket

router = APIRouter()


@router.websocket("/ws")
async def websocket_gateway(websocket: WebSocket) -> None:
    gateway = websocket.app.state.post_office.websocket_gateway
    await gateway.handle_connection(websocket)
