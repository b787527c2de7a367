"""Orders over HTTP only; the websocket-looking path is an ordinary GET."""

from fastapi import APIRouter

router = APIRouter(prefix="/orders")


@router.get("/websocket-status")
async def websocket_status() -> dict[str, bool]:
    return {"streaming": True}


@router.post("/")
async def place_order(order: dict) -> dict:
    return {"accepted": order}
