"""Pushes batched vehicle telemetry to the gateway's Socket.IO server."""

import asyncio

import socketio

from fleet import settings

sio = socketio.AsyncClient(reconnection=True)


async def run(batches: asyncio.Queue) -> None:
    await sio.connect(
        settings.GATEWAY_URL,
        socketio_path=settings.TELEMETRY_SOCKETIO_PATH,
        namespaces=["/telemetry"],
        transports=["websocket"],
    )
    while True:
        batch = await batches.get()
        await sio.emit("batch", batch, namespace="/telemetry")
