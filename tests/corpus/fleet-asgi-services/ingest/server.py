"""Telemetry ingest: vehicles stream readings over websockets, operators watch them live."""

from sanic import Sanic
from sanic.response import json

from ingest.blueprints import control, telemetry
from ingest.legacy import legacy_feed

app = Sanic("fleet-ingest")
# v2 clients connect under /v2/telemetry (the blueprint's own /telemetry is replaced)
app.blueprint(telemetry, url_prefix="/v2/telemetry")
app.blueprint(control)
app.add_websocket_route(legacy_feed, "/legacy/feed")


@app.websocket("/ws")
async def operator_feed(request, ws):
    async for message in ws:
        await ws.send(message)


@app.get("/websocket-status")
async def websocket_status(request):
    return json({"connected": len(app.ctx.sockets)})
