"""ASGI entry point: ``uvicorn realtime.asgi:application``."""

import socketio

from realtime.server import sio

application = socketio.ASGIApp(sio, socketio_path="realtime/socket.io")
