"""Smoke test after a deploy: joins the chat namespace over the `/rt` path and leaves."""

import asyncio
import sys

import socketio


async def main(base_url: str) -> None:
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(base_url, socketio_path="rt", namespaces=["/chat"], auth={"token": "smoke"})
    await client.emit("join", {"ticket": "smoke"}, namespace="/chat")
    await client.disconnect()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8080"))
