"""Vehicles stream their position to the dispatcher over one websocket each."""

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from fleet.settings import API_PREFIX, VEHICLE_WS_PATH

router = APIRouter(prefix=API_PREFIX, tags=["vehicles"])


@router.get("/vehicles/{vehicle_id}")
async def vehicle(vehicle_id: str) -> dict[str, str]:
    return {"id": vehicle_id}


@router.websocket(VEHICLE_WS_PATH)
async def vehicle_stream(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            position = await websocket.receive_json()
            await websocket.send_json({"ack": position.get("seq")})
    except WebSocketDisconnect:
        return
