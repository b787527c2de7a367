"""ASGI entry point: ``uvicorn app.main:application``.

FastAPI serves the HTTP API; every other request under ``/dispatch/socket.io`` goes to the
Socket.IO server, whose namespaces (/dispatch, /alerts) share that one connection.
"""

import socketio
from fastapi import FastAPI

from app import alerts  # noqa: F401  registers the /alerts handlers
from app.namespaces import DispatchNamespace
from app.server import sio

api = FastAPI(title="Dispatch")


@api.get("/healthz")
async def healthz():
    return {"ok": True, "socketio": "/dispatch/socket.io"}


sio.register_namespace(DispatchNamespace("/dispatch"))

application = socketio.ASGIApp(sio, other_asgi_app=api, socketio_path="dispatch/socket.io")
