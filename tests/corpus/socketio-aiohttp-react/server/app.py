"""aiohttp entry point: ``python -m aiohttp.web -H 0.0.0.0 -P 8080 server.app:create_app``.

The Socket.IO server is attached to the app at ``/rt/`` (not the default ``/socket.io/``): the
web client is built with the same path. Its namespaces (/chat, /agents, /orders) are channels
over that one connection.
"""

from aiohttp import web

from server import settings
from server.realtime import orders  # noqa: F401  registers the /orders handlers
from server.realtime.namespaces import AgentsNamespace, ChatNamespace
from server.realtime.sio import sio


async def health(request: web.Request) -> web.Response:
    return web.json_response({"ok": True, "socketio_path": f"/{settings.SOCKETIO_PATH}/"})


def create_app() -> web.Application:
    app = web.Application()
    app.router.add_get("/health", health)
    sio.register_namespace(ChatNamespace("/chat"))
    sio.register_namespace(AgentsNamespace("/agents"))
    sio.attach(app, socketio_path="rt")
    return app
