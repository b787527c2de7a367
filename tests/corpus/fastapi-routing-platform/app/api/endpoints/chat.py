"""Desk chat: history over HTTP, live messages over a websocket."""

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

router = APIRouter()

HISTORY: list[str] = []


@router.get("/history")
async def history() -> list[str]:
    return HISTORY[-100:]


@router.websocket("/ws")
async def chat_socket(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            line = await websocket.receive_text()
            HISTORY.append(line)
            await websocket.send_text(line)
    except WebSocketDisconnect:
        return
