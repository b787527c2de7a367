"""Channels 1.x consumers: functions per channel, and one class-based consumer."""

from channels.generic.websockets import WebsocketConsumer


def ws_connect(message):
    message.reply_channel.send({"accept": True})


def ws_message(message):
    message.reply_channel.send({"text": message.content["text"]})


def http_fallback(message):
    message.reply_channel.send({"status": 404, "content": b"not here"})


class PresenceConsumer(WebsocketConsumer):
    def receive(self, text=None, bytes=None, **kwargs):
        self.send(text=text)
