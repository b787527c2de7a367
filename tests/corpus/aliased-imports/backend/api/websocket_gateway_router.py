"""The one websocket endpoint, on a router imported under another name."""

from fastapi import APIRouter as Router
from fastapi import WebSocket as Socket

gateway_router = Router()


@gateway_router.websocket("/ws")
async def gateway_endpoint(socket: Socket) -> None:
    await socket.accept()
    post_office = socket.app.state.post_office
    await post_office.gateway.serve(socket)
