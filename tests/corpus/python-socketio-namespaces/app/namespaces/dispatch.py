"""The dispatch namespace: dispatchers assign jobs to drivers."""

import socketio


class DispatchNamespace(socketio.AsyncNamespace):
    async def on_connect(self, sid, environ, auth):
        await self.enter_room(sid, "dispatchers")

    async def on_assign(self, sid, data):
        await self.emit("assigned", data, room=f"driver:{data['driver']}")

    async def on_disconnect(self, sid):
        await self.leave_room(sid, "dispatchers")
