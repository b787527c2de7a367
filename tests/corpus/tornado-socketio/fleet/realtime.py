"""The fleet tracker's Socket.IO server: vehicles report positions in the /fleet namespace,
dispatchers watch them in /dispatch."""

import socketio

sio = socketio.AsyncServer(async_mode="tornado", cors_allowed_origins=[])


@sio.on("position", namespace="/fleet")
async def position(sid, data):
    await sio.emit("moved", data, namespace="/dispatch")


@sio.event(namespace="/dispatch")
async def connect(sid, environ):
    await sio.enter_room(sid, "dispatchers", namespace="/dispatch")
