"""The ops console's Falcon ASGI app."""

import falcon.asgi

from ops.resources import AuditResource, MetricsResource, StreamResource

app = falcon.asgi.App()
streams = StreamResource()
app.add_route("/streams", streams)
app.add_route("/streams/admin", streams, suffix="admin")
app.add_route("/streams/export", streams, suffix="export")
metrics = MetricsResource()
app.add_route("/metrics", metrics)
app.add_route("/metrics/live", metrics, suffix="live")
app.add_route("/audit", AuditResource())
