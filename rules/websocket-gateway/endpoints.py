# Test cases for endpoints.yaml (semgrep --test); not a module to import.
# ruff: noqa
import aiohttp
import socketio
import tornado.web
import websockets as ws_lib
from aiohttp import web
from channels.generic.websocket import AsyncWebsocketConsumer, JsonWebsocketConsumer
from channels.generic import websocket as channels_websocket
from django.urls import path, re_path
from fastapi import APIRouter, FastAPI, WebSocket
from fastapi.routing import APIWebSocketRoute
from flask import Blueprint, Flask
from flask_sock import Sock
from flask_socketio import SocketIO
from litestar import websocket, websocket_listener
from litestar.handlers import WebsocketListener
from starlette import routing
from starlette.routing import Mount, Route, WebSocketRoute
from tornado.websocket import WebSocketHandler

try:
    from websockets.asyncio.server import serve as serve_ws
except ImportError:  # websockets < 13
    from websockets.server import serve as serve_ws

app = FastAPI()
gateway_router = APIRouter()


# --- FastAPI / Starlette / Sanic / Quart decorators -------------------------------------------

# ruleid: websocket-endpoint-decorator
@gateway_router.websocket("/ws")
async def websocket_gateway(websocket: WebSocket) -> None:
    await websocket.accept()


# ruleid: websocket-endpoint-decorator
@app.websocket(
    path="/ws/notifications",
    name="notifications",
)
async def notifications(websocket: WebSocket) -> None:
    await websocket.accept()


# ruleid: websocket-endpoint-decorator
@app.websocket_route("/ws/legacy")
async def legacy(websocket):
    await websocket.accept()


class Views:
    # ruleid: websocket-endpoint-decorator
    @bp.websocket("/feed")
    async def feed(self, request, ws):
        await ws.send("hello")


# ok: websocket-endpoint-decorator
# @app.websocket("/commented-out")
async def commented_out(websocket):
    """Registered once as

    @app.websocket("/in-a-docstring")
    """


# ok: websocket-endpoint-decorator
@app.get("/websocket-info")
async def websocket_info() -> dict:
    return {"url": "/ws"}


# ok: websocket-endpoint-decorator
def uses_the_type_only(socket: WebSocket) -> None:
    app.websocket_state = None


# --- route objects and add_*_route -------------------------------------------------------------

ADMIN_WS_PATH = "/ws/admin"

# ruleid: websocket-endpoint-add-route
app.add_api_websocket_route(ADMIN_WS_PATH, websocket_gateway)
# ruleid: websocket-endpoint-add-route
app.add_api_websocket_route(path="/ws/kw", endpoint=websocket_gateway)
# ruleid: websocket-endpoint-add-route
app.add_websocket_route("/ws/starlette", websocket_gateway)
# ruleid: websocket-endpoint-add-route
sanic_app.add_websocket_route(feed_handler, "/sanic-feed")
# ruleid: websocket-endpoint-add-route
sanic_app.add_websocket_route(feed_handler, uri="/sanic-kw")


# ruleid: websocket-endpoint-sanic-route
@sanic_app.route("/sanic-raw", websocket=True, version=2)
async def sanic_raw(request, ws):
    pass


# ok: websocket-endpoint-sanic-route
@sanic_app.route("/sanic-http", methods=["GET"])
async def sanic_http(request):
    pass


# ok: websocket-endpoint-sanic-route
@sanic_app.route("/sanic-off", websocket=False)
async def sanic_off(request):
    pass


routes = [
    # ok: websocket-endpoint-registration
    Route("/websocket-docs", docs),
    # ruleid: websocket-endpoint-registration
    WebSocketRoute("/ws/starlette-route", endpoint=websocket_gateway),
    # ruleid: websocket-endpoint-registration
    routing.WebSocketRoute(path="/ws/qualified", endpoint=websocket_gateway),
    # ruleid: websocket-endpoint-registration
    APIWebSocketRoute("/ws/api-route", websocket_gateway),
    Mount(
        "/realtime",
        routes=[
            # ruleid: websocket-endpoint-mounted
            WebSocketRoute("/events", websocket_gateway),
            # ok: websocket-endpoint-mounted
            Route("/status", status),
        ],
    ),
]


# --- raw `websockets` servers --------------------------------------------------------------------


async def run_raw_servers(handler):
    # ruleid: websocket-endpoint-raw-server
    async with ws_lib.serve(handler, "0.0.0.0", 8765):
        pass
    # ruleid: websocket-endpoint-raw-server
    async with serve_ws(handler, "localhost", 8766):
        pass
    # ruleid: websocket-endpoint-raw-server
    await ws_lib.unix_serve(handler, "/tmp/ws.sock")
    # ok: websocket-endpoint-raw-server
    await ws_lib.connect("ws://localhost:8765")


def run_sync_server(handler):
    import websockets.sync.server

    # ruleid: websocket-endpoint-raw-server
    with websockets.sync.server.serve(handler, "", 8767) as server:
        server.serve_forever()


# --- aiohttp ----------------------------------------------------------------------------------

aio_routes = web.RouteTableDef()


@aio_routes.get("/aio/decorated")
async def aio_decorated(request):
    # ruleid: websocket-endpoint-aiohttp
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    return ws


async def aio_registered(request):
    # ruleid: websocket-endpoint-aiohttp
    ws = aiohttp.web.WebSocketResponse(heartbeat=30)
    await ws.prepare(request)
    return ws


async def aio_unregistered(request):
    # ruleid: websocket-endpoint-aiohttp
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    return ws


async def aio_http_only(request):
    # ok: websocket-endpoint-aiohttp
    return web.json_response({"websocket": "/ws"})


def make_aiohttp_app():
    aio_app = web.Application()
    aio_app.router.add_get("/aio/ws", aio_registered)
    aio_app.add_routes(aio_routes)
    return aio_app


# --- Tornado ------------------------------------------------------------------------------------


# ruleid: websocket-endpoint-tornado
class EchoHandler(WebSocketHandler):
    def on_message(self, message):
        self.write_message(message)


# ruleid: websocket-endpoint-tornado
class ElsewhereRoutedHandler(tornado.websocket.WebSocketHandler):
    pass


# ok: websocket-endpoint-tornado
class PageHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("websocket at /echo")


def make_tornado_app():
    return tornado.web.Application([(r"/", PageHandler), (r"/echo", EchoHandler)])


# --- Litestar ------------------------------------------------------------------------------------


# ruleid: websocket-endpoint-litestar
@websocket("/lit/ws")
async def litestar_handler(socket) -> None:
    await socket.accept()


# ruleid: websocket-endpoint-litestar
@websocket_listener(path="/lit/listener")
async def litestar_listener(data: str) -> str:
    return data


# ruleid: websocket-endpoint-litestar
class ChatListener(WebsocketListener):
    path = "/lit/chat"

    async def on_receive(self, data: str) -> str:
        return data


# --- Flask-Sock --------------------------------------------------------------------------------

flask_app = Flask(__name__)
sock = Sock(flask_app)


# ok: websocket-endpoint-flask-sock
@flask_app.route("/websocket-help")
def websocket_help():
    return "see /echo"


# ruleid: websocket-endpoint-flask-sock
@sock.route("/echo")
def echo(ws):
    while True:
        ws.send(ws.receive())


alerts_bp = Blueprint("alerts", __name__, url_prefix="/alerts")


# ok: websocket-endpoint-flask-sock
# ruleid: websocket-endpoint-flask-sock-blueprint
@sock.route("/stream", bp=alerts_bp)
def alert_stream(ws):
    ws.send("subscribed")


# --- Socket.IO ---------------------------------------------------------------------------------

# ruleid: websocket-endpoint-socketio
socketio_ext = SocketIO(flask_app)
# ruleid: websocket-endpoint-socketio-server
sio = socketio.AsyncServer(async_mode="asgi")
# ruleid: websocket-endpoint-socketio-app
sio_app = socketio.ASGIApp(sio, socketio_path="/sio")
# ruleid: websocket-endpoint-socketio-server
typed_sio: socketio.Server = socketio.Server(logger=True)
# ruleid: websocket-endpoint-socketio-app
wsgi_app = socketio.WSGIApp(typed_sio)
# ruleid: websocket-endpoint-socketio-app, websocket-endpoint-socketio-server
application.mount("/rt", socketio.ASGIApp(socketio.AsyncServer()))
# ok: websocket-endpoint-socketio, websocket-endpoint-socketio-server, websocket-endpoint-socketio-app
sio_client = socketio.AsyncClient()
# ruleid: websocket-endpoint-socketio
rt_socketio = SocketIO(flask_app, path="rt")

# ruleid: websocket-endpoint-socketio-server
tornado_sio = socketio.AsyncServer(async_mode="tornado")
tornado_app = tornado.web.Application(
    [
        (r"/", tornado.web.RequestHandler),
        # ruleid: websocket-endpoint-socketio-tornado
        (r"/socket.io/", socketio.get_tornado_handler(tornado_sio)),
        # ruleid: websocket-endpoint-socketio-tornado
        tornado.web.url(r"/rt/", socketio.get_tornado_handler(tornado_sio), name="rt"),
    ]
)
# ok: websocket-endpoint-socketio-tornado
handler_class = socketio.get_tornado_handler(tornado_sio)

# --- Django Channels ------------------------------------------------------------------------------

websocket_urlpatterns = [
    # ruleid: websocket-endpoint-django-channels
    path("ws/chat/", ChatConsumer.as_asgi()),
    # ruleid: websocket-endpoint-django-channels
    re_path(r"ws/rooms/(?P<room>\w+)/$", RoomConsumer.as_asgi()),
]

urlpatterns = [
    # ok: websocket-endpoint-django-channels
    path("websocket-docs/", docs_view),
]

application = ProtocolTypeRouter(
    {
        "http": get_asgi_application(),
        "websocket": AuthMiddlewareStack(
            URLRouter(
                [
                    # ruleid: websocket-endpoint-django-channels
                    path("ws/direct/", DirectConsumer.as_asgi()),
                ]
            )
        ),
    }
)




def reusable_app_routes(prefix):
    """A reusable Django app's routes, returned by a function."""
    return [
        # ruleid: websocket-endpoint-django-channels
        path(f"{prefix}/events/", EventsConsumer.as_asgi()),
        # ruleid: websocket-endpoint-django-channels
        re_path(r"^feed/(?P<feed>\w+)/$", FeedConsumer.as_asgi(), name="feed"),
        # ok: websocket-endpoint-django-channels
        path("nested/", URLRouter([
            # ruleid: websocket-endpoint-django-channels
            path("inner/", InnerConsumer.as_asgi()),
        ])),
        # ok: websocket-endpoint-django-channels
        path("api/", include("api.urls")),
        # ok: websocket-endpoint-django-channels
        path("wrapped/", AuthMiddlewareStack(URLRouter(other_routes))),
    ]


channel_routing = [
    # ruleid: websocket-endpoint-django-channels-legacy
    route("websocket.connect", ws_connect, path=r"^/legacy/$"),
    # ok: websocket-endpoint-django-channels-legacy
    route("websocket.receive", ws_receive, path=r"^/legacy/$"),
    # ok: websocket-endpoint-django-channels-legacy
    route("http.request", http_consumer),
    # ruleid: websocket-endpoint-django-channels-legacy
    route_class(LegacyConsumer, path=r"^/legacy-class/"),
]


# ruleid: websocket-handler-django-consumer
class ChatConsumer(AsyncWebsocketConsumer):
    async def receive(self, text_data=None, bytes_data=None):
        await self.send(text_data=text_data)


# ruleid: websocket-handler-django-consumer
class RoomConsumer(channels_websocket.AsyncJsonWebsocketConsumer):
    pass


# ruleid: websocket-handler-django-consumer
class JsonConsumer(JsonWebsocketConsumer):
    pass


# ok: websocket-handler-django-consumer
class NotAConsumer(SomeOtherBase):
    websocket_consumer = None
