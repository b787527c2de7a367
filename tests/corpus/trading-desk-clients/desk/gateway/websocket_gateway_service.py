"""Sessions of the desk's websocket clients; messages fan out over Redis channels."""

from fastapi import WebSocket


class WebSocketGatewayService:
    def __init__(self, redis) -> None:
        self.redis = redis

    async def serve(self, websocket: WebSocket) -> None:
        await websocket.accept()
        pubsub = self.redis.pubsub()
        await pubsub.subscribe("desk.quotes")
        async for message in pubsub.listen():
            await websocket.send_text(message["data"])
