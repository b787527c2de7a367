"""Chat rooms: pages over HTTP, messages over a websocket."""

from quart import Blueprint, websocket

chat_bp = Blueprint("chat", __name__, url_prefix="/chat")


@chat_bp.route("/rooms")
async def rooms() -> list[str]:
    return ["general", "desk"]


@chat_bp.websocket("/ws")
async def chat_socket() -> None:
    while True:
        message = await websocket.receive()
        await websocket.send(message)
