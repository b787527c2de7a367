# Test cases for routing.yaml (semgrep --test); not a module to import.
# ruff: noqa
import os
from fastapi import APIRouter, FastAPI
from backend.api import websocket_gateway_router
from backend.api.chat import router as chat_router
from . import realtime
import chat.routing
from django.urls import include, path, re_path
from channels.routing import ProtocolTypeRouter, URLRouter
from starlette.applications import Starlette
from starlette.routing import Mount, Router, WebSocketRoute
from flask import Blueprint, Flask
from quart import Blueprint as QuartBlueprint

app = FastAPI()

# --- router objects and their prefixes ------------------------------------------------------------

# ruleid: route-prefix-router
api = APIRouter(prefix="/api", tags=["api"])
# ruleid: route-prefix-router
plain = APIRouter()
# ruleid: route-prefix-router
versioned = fastapi.APIRouter(prefix=settings.API_PREFIX)
# ok: route-prefix-router
bp = Blueprint("chat", __name__, url_prefix="/chat")  # no websocket route, no blueprints in it
# ruleid: route-prefix-router
quart_bp = QuartBlueprint("live", __name__)
# ok: route-prefix-router
client = APIClient(prefix="/not-a-router")
# ruleid: route-prefix-router
alerts = Blueprint("alerts", __name__, url_prefix="/alerts")
# ok: route-prefix-router
http_only = APIRouter(prefix="/orders")
# ruleid: route-prefix-router
called = APIRouter(prefix="/called")
called.add_websocket_route("/ws", handler)
# ruleid: route-prefix-router
sanic_bp = Blueprint("raw", url_prefix="/raw", version=2)


@sanic_bp.route("/socket", websocket=True)
async def raw_socket(request, ws):
    pass


@http_only.get("/websocket-status")
async def websocket_status():
    return {}


@plain.websocket("/ws")
async def plain_socket(websocket):
    await websocket.accept()


# ruleid: route-include-router
versioned.include_router(plain)


@quart_bp.websocket("/feed")
async def feed():
    pass


@sock.route("/stream", bp=alerts)
def alert_stream(ws):
    ws.send("subscribed")


# --- inclusions -----------------------------------------------------------------------------------

# ruleid: route-include-router
app.include_router(websocket_gateway_router.router, prefix="/api")
# ruleid: route-include-router
api.include_router(chat_router)
# ruleid: route-include-router
app.include_router(api, tags=["v1"], prefix=f"/{version}")
# ruleid: route-include-mount
app.mount("/realtime", realtime.app)
# ruleid: route-include-mount
app.mount(path="/static-ws", app=realtime.app)
# ok: route-include-mount
total = amount(order)
# ok: route-include-router
app.add_middleware(CORSMiddleware)

flask_app = Flask(__name__)
# ruleid: route-include-blueprint
flask_app.register_blueprint(bp, url_prefix="/v2")
# ruleid: route-include-blueprint
flask_app.register_blueprint(quart_bp)

# ruleid: route-scope-named
routes = [
    # ruleid: route-include-starlette
    Mount("/chat", routes=chat.routing.ws_routes),
    # ruleid: route-include-starlette
    Mount("/live", app=realtime.app),
    # ruleid: route-scope-group
    Mount("/rt", routes=[WebSocketRoute("/ws", handler)]),
    # ruleid: route-include-starlette, route-scope-group
    Mount("/inline", app=Router(routes=[WebSocketRoute("/ws", handler)])),
]
# ruleid: route-include-starlette
starlette_app = Starlette(debug=True, routes=routes)
# ruleid: route-include-starlette-router
sub_router = Router(routes=realtime.routes)
# ok: route-include-starlette-router
api_router = APIRouter(routes=realtime.routes)

# ruleid: route-scope-named
inline_app = Starlette(routes=[WebSocketRoute("/ws", handler)])

# --- Django and Channels ----------------------------------------------------------------------------

# ruleid: route-scope-named
urlpatterns = [
    # ruleid: route-include-django
    path("api/", include("api.urls")),
    # ruleid: route-include-django
    path("chat/", include((chat_patterns, "chat"), namespace="chat")),
    # ok: route-include-django
    path("health/", health_view),
]

# ruleid: route-scope-named
websocket_urlpatterns = [
    # ruleid: route-include-django
    path("ws/", URLRouter(chat.routing.websocket_urlpatterns)),
    # ruleid: route-include-django
    re_path(r"^live/", AuthMiddlewareStack(URLRouter(realtime.get_routes()))),
    # ruleid: route-scope-group
    path("inline/", URLRouter([path("echo/", EchoConsumer.as_asgi())])),
]


# ruleid: route-scope-named
def get_routes():
    return [
        path("events/", EventsConsumer.as_asgi()),
    ]


# ok: route-scope-named
def unrelated():
    return os.path.join("a", "b")


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # ruleid: route-include-django
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)

# ruleid: route-scope-named
channel_routing = [
    # ruleid: route-include-django
    include("chat.routing.websocket_routing", path=r"^/chat"),
]


# --- python-socketio attached to an app (aiohttp, Sanic) -------------------------------------

import socketio
from aiohttp import web

sio = socketio.AsyncServer(async_mode="aiohttp")
aio_app = web.Application()
# ruleid: socketio-attach
sio.attach(aio_app)
# ruleid: socketio-attach
sio.attach(aio_app, socketio_path="ws")
# ruleid: socketio-attach
sio.attach(aio_app, "realtime/socket.io")
# ok: socketio-attach
attachment = mailer.attachments(report)
# ok: socketio-attach
debugger.attach_process(pid)
# ok: socketio-attach
sio.detach(aio_app)


# --- Sanic blueprints and groups --------------------------------------------------------------

from sanic import Blueprint, Sanic

sanic_app = Sanic("ingest")
# ruleid: route-include-sanic-blueprint
sanic_app.blueprint(telemetry_bp, url_prefix="/v2/telemetry")
# ruleid: route-include-sanic-blueprint
sanic_app.blueprint(control_group)
# ok: route-include-sanic-blueprint
sanic_app.blueprints_for(report)
# ruleid: route-include-sanic-group
control_group = Blueprint.group(commands_bp, diagnostics_bp, url_prefix="/control")
# ruleid: route-include-sanic-group
versions = Blueprint.group(v1_bp, v2_bp)
# ok: route-include-sanic-group
groups = itertools.groupby(commands, key=len)
# ruleid: route-include-sanic-blueprint
sanic_app.blueprint(
    # ruleid: route-include-sanic-group-inline
    Blueprint.group(alerts_bp, url_prefix="/ops", version=2),
    version_prefix="/api/v",
)
# a named group is route-include-sanic-group's, not the inline rule's
# ruleid: route-include-sanic-group
shadow_group = Blueprint.group(alerts_bp, url_prefix="/shadow")
# ok: route-include-sanic-group-inline
grouped = itertools.groupby(alerts, key=len)
# ruleid: route-include-sanic-blueprint-list
sanic_app.blueprint([commands_bp, replays_bp], url_prefix="/control", version=2)
# ruleid: route-include-sanic-blueprint-list
sanic_app.blueprint((commands_bp,))
# ruleid: route-include-sanic-group
listed_group = Blueprint.group([commands_bp, replays_bp], url_prefix="/listed")
# ruleid: route-unfollowed-sanic-copy
archive_v2 = archive_bp.copy("archive_v2", version=2)
# ruleid: route-unfollowed-sanic-copy
archive_v3 = archive_bp.copy(name="archive_v3", url_prefix="/v3/archive")
# ok: route-unfollowed-sanic-copy
settings_copy = settings.copy()
# ok: route-unfollowed-sanic-copy
frozen = copy.copy(settings)


# --- Litestar routers and controllers ----------------------------------------------------------

from litestar import Controller, Litestar, Router

# ruleid: route-include-litestar-router
api_router = Router(path="/api", route_handlers=[prices, InventoryController])
# ruleid: route-include-litestar-router
admin_router = Router("/admin", route_handlers=[audit_feed])
# ruleid: route-include-litestar-handlers
dynamic_router = Router(path="/dyn", route_handlers=HANDLERS)
# ok: route-include-litestar-router
express_like = Router()
# ok: route-include-litestar-handlers
litestar_app = Litestar(route_handlers=[api_router])


# ruleid: route-scope-litestar-controller
class InventoryController(Controller):
    path = "/inventory"

    async def stream(self, socket):
        await socket.accept()


# ok: route-scope-litestar-controller
class PlainController:
    path = "/plain"


# --- aiohttp sub-applications --------------------------------------------------------------------

# ruleid: route-unfollowed-aiohttp-subapp
aiohttp_app.add_subapp("/relay/", relay_app)
# ok: route-unfollowed-aiohttp-subapp
aiohttp_app.add_routes(routes)


# --- Falcon ASGI resources and routes ---------------------------------------------------------

import falcon.asgi


# ruleid: falcon-websocket-resource
class AlertsResource:
    async def on_get(self, req, resp):
        resp.media = {"alerts": []}

    async def on_websocket(self, req, ws):
        await ws.accept()


# ruleid: falcon-websocket-resource
class ShellResource(BaseResource):
    async def on_websocket(self, req, ws, node):
        await ws.accept()


# ok: falcon-websocket-resource
class HealthResource:
    async def on_get(self, req, resp):
        resp.media = {"websocket": "on_websocket"}


class MetricsResource:
    async def on_get(self, req, resp):
        resp.media = {"cpu": 0.5}

    # ruleid: falcon-websocket-suffixed-resource
    async def on_websocket_live(self, req, ws):
        await ws.accept()

    # ok: falcon-websocket-suffixed-resource
    async def on_get_live(self, req, resp):
        resp.media = {"websocket": "on_websocket_live"}


def on_websocket_orphan(req, ws):
    # ok: falcon-websocket-suffixed-resource
    return on_websocket_live


falcon_app = falcon.asgi.App()
# ruleid: falcon-route
falcon_app.add_route("/ops/alerts", AlertsResource())
shell = ShellResource()
# ruleid: falcon-route
falcon_app.add_route("/ops/nodes/{node}/shell", shell)
# ruleid: falcon-route
falcon_app.add_route("/ops/health", resources.health)
# ruleid: falcon-route
falcon_app.add_route("/ops/metrics/live", MetricsResource(), suffix="live")
# ok: falcon-route
falcon_app.add_sink(proxy, "/legacy")
