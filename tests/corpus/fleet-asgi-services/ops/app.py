"""Operations API (Falcon ASGI): HTTP resources and two websocket responders."""

import falcon.asgi

from ops.resources import AlertsResource, HealthResource, ShellResource

app = falcon.asgi.App()
app.add_route("/ops/health", HealthResource())
app.add_route("/ops/alerts", AlertsResource())
shell = ShellResource()
app.add_route("/ops/nodes/{node}/shell", shell)
