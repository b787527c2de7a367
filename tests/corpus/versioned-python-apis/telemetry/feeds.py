"""Telemetry feeds: the websocket blueprints of the ingest service, versioned per client."""

from sanic import Blueprint

from telemetry.settings import API_VERSION

gateway = Blueprint("gateway", url_prefix="/gw", version=1)


@gateway.websocket("/ws")
async def gateway_feed(request, ws):
    async for message in ws:
        await request.app.ctx.bus.publish("telemetry", message)


@gateway.websocket("/ws/next", version=2)
async def gateway_next(request, ws):
    await ws.send(await ws.recv())


vehicles = Blueprint("vehicles", url_prefix="/vehicles")
drivers = Blueprint("drivers", url_prefix="/drivers", version="v4", version_prefix="/api/v")


@vehicles.websocket("/live")
async def vehicles_live(request, ws):
    await ws.send("hello")


@drivers.websocket("/live")
async def drivers_live(request, ws):
    await ws.send("hello")


fleet = Blueprint.group(vehicles, drivers, url_prefix="/fleet", version=3)

beta = Blueprint("beta", url_prefix="/beta", version=API_VERSION)


@beta.websocket("/ws")
async def beta_feed(request, ws):
    await ws.send("beta")


legacy = Blueprint("legacy", url_prefix="/legacy")


@legacy.websocket("/ws")
async def legacy_feed(request, ws):
    await ws.send("legacy")


alerts = Blueprint("alerts", url_prefix="/alerts", version=2)


@alerts.websocket("/ws")
async def alerts_feed(request, ws):
    await ws.send("alert")


archive = Blueprint("archive", url_prefix="/archive")


@archive.websocket("/replay")
async def archive_replay(request, ws):
    await ws.send("replay")


@archive.get("/websocket-help")
async def archive_help(request):
    return None
