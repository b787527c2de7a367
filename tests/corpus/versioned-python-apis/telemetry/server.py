"""The telemetry ingest app: registers the feed blueprints and its own versioned sockets."""

from sanic import Blueprint, Sanic

from telemetry.feeds import alerts, archive, beta, fleet, gateway, legacy

app = Sanic("telemetry")
app.blueprint(gateway)
app.blueprint(fleet)
app.blueprint(beta)
app.blueprint(legacy, version=1.5)
app.blueprint(Blueprint.group(alerts, url_prefix="/ops"))

archive_v2 = archive.copy("archive_v2", version=2)
app.blueprint(archive_v2)


@app.websocket("/ws", version=2)
async def root_feed(request, ws):
    await ws.send("root")


@app.websocket("/status", version=1, version_prefix="/api/v")
async def status_feed(request, ws):
    await ws.send("ok")


async def health_feed(request, ws):
    await ws.send("healthy")


app.add_websocket_route(health_feed, "/health", version=3)
