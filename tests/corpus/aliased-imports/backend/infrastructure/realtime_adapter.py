"""A realtime adapter that starts its own servers, under aliased imports."""

import websockets as wsl
from websockets.asyncio.server import serve as start_ws_server


async def start_public(handler) -> None:
    await wsl.serve(handler, "0.0.0.0", 8765)


async def start_internal(handler) -> None:
    async with start_ws_server(handler, "127.0.0.1", 8766):
        pass
