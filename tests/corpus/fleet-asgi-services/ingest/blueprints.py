from sanic import Blueprint

telemetry = Blueprint("telemetry", url_prefix="/telemetry")
commands = Blueprint("commands", url_prefix="/commands")
diagnostics = Blueprint("diagnostics", url_prefix="/diagnostics")


@telemetry.websocket("/stream")
async def stream(request, ws):
    while True:
        reading = await ws.recv()
        await request.app.ctx.bus.publish("telemetry", reading)


@commands.websocket("/live")
async def live_commands(request, ws):
    await request.app.ctx.bus.subscribe("commands")


@diagnostics.websocket("/trace")
async def trace(request, ws):
    await ws.send("tracing")


# both blueprints are served under /control: the group's prefix comes first
control = Blueprint.group(commands, diagnostics, url_prefix="/control")
