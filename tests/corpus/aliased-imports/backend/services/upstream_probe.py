"""Probes upstream services over websockets, with renamed client imports."""

import socketio as sio_lib
import websocket as wsc
from websockets import connect as ws_connect

UPSTREAM = "ws://upstream.internal/ws"


async def probe_upstream() -> None:
    async with ws_connect(UPSTREAM) as connection:
        await connection.ping()


def probe_market() -> None:
    conn = wsc.create_connection("ws://market.internal/stream")
    conn.close()


def events_client():
    return sio_lib.AsyncClient()
