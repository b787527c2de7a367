"""The one python-socketio server of the dispatch service; app.main serves it."""

import socketio

from app.settings import ALLOWED_ORIGINS, REDIS_URL

sio = socketio.AsyncServer(
    async_mode="asgi",
    cors_allowed_origins=ALLOWED_ORIGINS,
    client_manager=socketio.AsyncRedisManager(REDIS_URL),
)


@sio.event
async def connect(sid, environ, auth):
    """Connections to the default namespace: drivers' apps check in here."""
    if not auth or "driver" not in auth:
        raise socketio.exceptions.ConnectionRefusedError("driver id required")
    await sio.save_session(sid, {"driver": auth["driver"]})
