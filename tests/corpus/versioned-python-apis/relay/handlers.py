"""Relay websocket handlers, served by the relay sub-application."""

from aiohttp import web

routes = web.RouteTableDef()


@routes.get("/ws")
async def relay(request):
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    await ws.send_str("ready")
    return ws
