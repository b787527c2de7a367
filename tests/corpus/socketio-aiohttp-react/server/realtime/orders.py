"""Order updates: decorator handlers on the shared server, in the /orders namespace."""

from server.realtime.sio import sio


@sio.on("subscribe", namespace="/orders")
async def subscribe(sid, data):
    await sio.enter_room(sid, f"order:{data['order_id']}", namespace="/orders")


@sio.event(namespace="/orders")
async def disconnect(sid):
    # leaving rooms is implicit; emit(..., namespace=) below is not a handler
    await sio.emit("left", {"sid": sid}, namespace="/orders")
