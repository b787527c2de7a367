"""The one Socket.IO server of the support desk. Rooms and fan-out across workers go through
Redis; the aiohttp app in server/app.py serves it."""

import socketio

from server.settings import REDIS_URL

manager = socketio.AsyncRedisManager(REDIS_URL)
sio = socketio.AsyncServer(
    async_mode="aiohttp",
    client_manager=manager,
    cors_allowed_origins=["https://desk.example.invalid"],
)
