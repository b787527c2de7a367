"""End-of-day reports, requested over the gateway's socket.io channel."""

import socketio

from desk.settings import GATEWAY_WS_URL

sio = socketio.Client()


def request_report(day: str) -> None:
    sio.connect(GATEWAY_WS_URL, socketio_path="ws", namespaces=["/reports"])
    sio.emit("report", {"day": day}, namespace="/reports")
