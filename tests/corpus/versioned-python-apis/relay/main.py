"""The relay service: the handlers' sub-application is served below /relay/."""

from aiohttp import web

from relay.handlers import routes


async def probe(request):
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    return ws


def create_app():
    relay_app = web.Application()
    relay_app.add_routes(routes)
    app = web.Application()
    app.router.add_get("/probe", probe)
    app.add_subapp("/relay/", relay_app)
    return app
