"""Live match scores pushed to everyone watching a match."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer


class ScoreConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.match_id = self.scope["url_route"]["kwargs"]["match_id"]
        await self.channel_layer.group_add("scores", self.channel_name)
        await self.accept()

    async def score_update(self, event):
        await self.send_json(event["score"])
