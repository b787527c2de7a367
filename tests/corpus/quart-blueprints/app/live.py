"""The live feed. Its own prefix is /live; the factory registers it under /v2/live, which wins."""

import asyncio

from quart import Blueprint, websocket

bp = Blueprint("live", __name__, url_prefix="/live")


@bp.websocket("/feed")
async def feed() -> None:
    while True:
        await websocket.send_json({"tick": asyncio.get_running_loop().time()})
        await asyncio.sleep(1)
