from channels.generic.websocket import JsonWebsocketConsumer


class TicketConsumer(JsonWebsocketConsumer):
    def connect(self):
        self.accept()

    def receive_json(self, content, **kwargs):
        self.send_json({"ticket": content.get("ticket"), "status": "received"})
