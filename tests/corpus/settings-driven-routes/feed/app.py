"""A Starlette side service streaming the order feed."""

from starlette.applications import Starlette
from starlette.endpoints import WebSocketEndpoint
from starlette.routing import WebSocketRoute

from feed import paths


class FeedEndpoint(WebSocketEndpoint):
    encoding = "json"

    async def on_receive(self, websocket, data):
        await websocket.send_json({"echo": data})


app = Starlette(routes=[WebSocketRoute(paths.FEED_PATH, FeedEndpoint)])
