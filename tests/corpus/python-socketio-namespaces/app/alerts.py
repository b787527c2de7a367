"""Alerts: handlers of the /alerts namespace, registered on the shared server."""

from app.server import sio


@sio.event(namespace="/alerts")
async def connect(sid, environ, auth):
    await sio.enter_room(sid, "ops", namespace="/alerts")


@sio.on("acknowledge", namespace="/alerts")
async def acknowledge(sid, data):
    await sio.emit("acknowledged", data, room="ops", namespace="/alerts", skip_sid=sid)


async def raise_alert(alert):
    # emitting to a namespace is not handling one
    await sio.emit("alert", alert, room="ops", namespace="/alerts")
