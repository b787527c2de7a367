"""Control channels: blueprints registered as a list, routes added by call and by `route`."""

from sanic import Blueprint

commands = Blueprint("commands", url_prefix="/commands", version=2)
replays = Blueprint("replays", url_prefix="/replays")


async def command_feed(request, ws):
    await ws.send("ready")


commands.add_websocket_route(command_feed, "/live")


@replays.route("/stream", websocket=True)
async def replay_stream(request, ws):
    await ws.send("replay")


@replays.route("/websocket-status")
async def replay_status(request):
    return None


def register(app):
    app.blueprint([commands, replays], url_prefix="/control")
