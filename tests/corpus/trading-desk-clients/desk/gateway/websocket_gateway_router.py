"""The desk's one websocket endpoint."""

from fastapi import APIRouter, WebSocket

from desk.gateway.websocket_gateway_service import WebSocketGatewayService

router = APIRouter()
gateway = WebSocketGatewayService()


@router.websocket("/ws")
async def desk_socket(websocket: WebSocket) -> None:
    await gateway.serve(websocket)
