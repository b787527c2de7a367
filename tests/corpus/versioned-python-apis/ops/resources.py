"""Falcon ASGI resources of the ops console. Suffixed routes map suffixed responders."""

import falcon


class StreamResource:
    async def on_get(self, req, resp):
        resp.media = {"streams": []}

    async def on_websocket(self, req, ws):
        await ws.accept()

    async def on_websocket_admin(self, req, ws):
        await ws.accept()

    async def on_get_export(self, req, resp):
        resp.content_type = falcon.MEDIA_TEXT


class MetricsResource:
    async def on_get(self, req, resp):
        resp.media = {"cpu": 0.5}

    async def on_websocket_live(self, req, ws):
        await ws.accept()


class AuditResource:
    async def on_get(self, req, resp):
        resp.media = {"entries": []}

    async def on_websocket_tail(self, req, ws):
        await ws.accept()
