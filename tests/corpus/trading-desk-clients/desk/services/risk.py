"""Risk limits, still read from the legacy risk engine's own socket."""

import websocket

from desk.settings import RISK_STREAM_URL


def watch_limits(on_breach) -> None:
    ws = websocket.create_connection(RISK_STREAM_URL)
    try:
        while True:
            on_breach(ws.recv())
    finally:
        ws.close()


def audit_tail() -> str:
    ws = websocket.create_connection("ws://gateway.desk.internal:8000/audit")
    return ws.recv()
