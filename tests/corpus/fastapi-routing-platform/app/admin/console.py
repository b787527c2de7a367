"""Operator console; where it is mounted is decided by the deployment's settings."""

from fastapi import APIRouter, WebSocket

router = APIRouter()


@router.websocket("/console")
async def console_socket(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_json({"motd": "operators only"})
    await websocket.close()
