"""Class-based namespaces: each is a logical channel over the server's one `/rt` connection."""

import socketio


class ChatNamespace(socketio.AsyncNamespace):
    async def on_connect(self, sid, environ, auth):
        if not auth or "token" not in auth:
            raise socketio.exceptions.ConnectionRefusedError("unauthorized")

    async def on_join(self, sid, data):
        await self.enter_room(sid, f"ticket:{data['ticket']}")

    async def on_message(self, sid, data):
        await self.emit("message", data, room=f"ticket:{data['ticket']}", skip_sid=sid)


class AgentsNamespace(socketio.AsyncNamespace):
    async def on_status(self, sid, data):
        await self.emit("status", data)
