"""python-socketio server for the mobile app (served by uvicorn, see realtime.asgi)."""

import socketio

from config import ALLOWED_ORIGINS, REDIS_URL

sio = socketio.AsyncServer(
    async_mode="asgi",
    cors_allowed_origins=ALLOWED_ORIGINS,
    client_manager=socketio.AsyncRedisManager(REDIS_URL),
)


@sio.event
async def connect(sid, environ, auth):
    if not auth or "token" not in auth:
        raise socketio.exceptions.ConnectionRefusedError("authentication required")
    await sio.save_session(sid, {"token": auth["token"]})


@sio.on("subscribe")
async def subscribe(sid, data):
    await sio.enter_room(sid, data["team"])
    await sio.emit("subscribed", {"team": data["team"]}, to=sid)


async def push_alert(alert):
    await sio.emit("alert", alert, room="ops")
