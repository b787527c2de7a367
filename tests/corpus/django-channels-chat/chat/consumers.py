"""Chat room consumer: one group per room, plus the lobby that lists activity."""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from .models import Message, Room

LOBBY_GROUP = "lobby"


class ChatConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.room_name = self.scope["url_route"]["kwargs"]["room_name"]
        self.room_group_name = f"chat_{self.room_name}"
        if self.scope["user"].is_anonymous:
            await self.close(code=4401)
            return
        await self.channel_layer.group_add(self.room_group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, close_code):
        if hasattr(self, "room_group_name"):
            await self.channel_layer.group_discard(self.room_group_name, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        payload = json.loads(text_data or "{}")
        body = (payload.get("message") or "").strip()
        if not body:
            return
        await self.save_message(body)
        await self.channel_layer.group_send(
            self.room_group_name,
            {"type": "chat.message", "message": body, "user": self.scope["user"].username},
        )
        await self.channel_layer.group_send(
            LOBBY_GROUP, {"type": "lobby.activity", "room": self.room_name}
        )

    async def chat_message(self, event):
        await self.send(text_data=json.dumps({"message": event["message"], "user": event["user"]}))

    @database_sync_to_async
    def save_message(self, body):
        room, _ = Room.objects.get_or_create(name=self.room_name)
        return Message.objects.create(room=room, author=self.scope["user"], body=body)
