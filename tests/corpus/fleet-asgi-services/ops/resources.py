import falcon
from falcon.asgi import Request, WebSocket


class HealthResource:
    async def on_get(self, req: Request, resp: falcon.asgi.Response) -> None:
        resp.media = {"status": "ok", "websocket": "see /ops/alerts"}


class AlertsResource:
    async def on_get(self, req: Request, resp: falcon.asgi.Response) -> None:
        resp.media = {"alerts": []}

    async def on_websocket(self, req: Request, ws: WebSocket) -> None:
        await ws.accept()
        while True:
            await ws.send_media({"alert": await req.context.alerts.get()})


class ShellResource:
    async def on_websocket(self, req: Request, ws: WebSocket, node: str) -> None:
        await ws.accept(subprotocol="shell")
        await ws.send_text(f"connected to {node}")


class ArchivedReplayResource:
    """Replays a day of alerts; routed by the on-call tooling, not by this app."""

    async def on_websocket(self, req: Request, ws: WebSocket) -> None:
        await ws.accept()
