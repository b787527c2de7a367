"""Dashboard (Starlette): a class-based websocket endpoint in a route list."""

from starlette.applications import Starlette
from starlette.endpoints import WebSocketEndpoint
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route, WebSocketRoute


class BoardEndpoint(WebSocketEndpoint):
    encoding = "json"

    async def on_receive(self, websocket, data):
        await websocket.send_json({"echo": data})


async def homepage(request):
    return PlainTextResponse("dashboard")


routes = [
    Route("/", homepage),
    Mount("/boards", routes=[WebSocketRoute("/live", BoardEndpoint)]),
]

app = Starlette(routes=routes)
