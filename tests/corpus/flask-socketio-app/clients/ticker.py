"""Pulls the ticker from the vendor stream and feeds it to the kiosk board."""

import json
import logging

import websocket

from tasks import raise_alert

logger = logging.getLogger(__name__)


def read_snapshot():
    ws = websocket.create_connection("wss://stream.example.com/ticker", timeout=10)
    try:
        ws.send(json.dumps({"op": "snapshot"}))
        return json.loads(ws.recv())
    finally:
        ws.close()


class TickerStream:
    def __init__(self, url, on_tick):
        self.url = url
        self.on_tick = on_tick
        self._app = websocket.WebSocketApp(
            self.url,
            on_message=self._on_message,
            on_error=self._on_error,
        )

    def run(self):
        self._app.run_forever(ping_interval=30, reconnect=5)

    def _on_message(self, _app, message):
        self.on_tick(json.loads(message))

    def _on_error(self, _app, error):
        logger.warning("ticker stream error: %s", error)
        raise_alert("ticker", "warning", str(error))
