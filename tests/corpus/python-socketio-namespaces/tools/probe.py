"""Checks that the dispatch namespace answers, as a dispatcher's console would connect."""

import asyncio
import sys

import socketio


async def probe(url: str) -> None:
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(url, namespaces=["/dispatch"], socketio_path="dispatch/socket.io")
    await client.emit("assign", {"driver": "probe", "job": "noop"}, namespace="/dispatch")
    await client.disconnect()


if __name__ == "__main__":
    asyncio.run(probe(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8000"))
