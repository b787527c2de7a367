"""Per-user notifications (synchronous consumer: runs in a worker thread)."""

from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer


class NotificationConsumer(JsonWebsocketConsumer):
    def connect(self):
        user = self.scope["user"]
        if user.is_anonymous:
            self.close(code=4401)
            return
        self.user_group = f"user_{user.pk}"
        async_to_sync(self.channel_layer.group_add)("notifications", self.channel_name)
        async_to_sync(self.channel_layer.group_add)(self.user_group, self.channel_name)
        self.accept()

    def disconnect(self, code):
        if hasattr(self, "user_group"):
            async_to_sync(self.channel_layer.group_discard)("notifications", self.channel_name)
            async_to_sync(self.channel_layer.group_discard)(self.user_group, self.channel_name)

    def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            self.send_json({"type": "pong"})

    def notify(self, event):
        self.send_json(event["payload"])
