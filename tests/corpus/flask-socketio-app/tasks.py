"""Background work: raise alerts from the metrics poller and relay them to Socket.IO."""

import json
import time

import redis

import config

redis_client = redis.Redis.from_url(config.REDIS_URL)


def raise_alert(service, level, text):
    alert = {"service": service, "level": level, "text": text, "at": time.time()}
    redis_client.lpush("alerts:history", json.dumps(alert))
    redis_client.ltrim("alerts:history", 0, 499)
    redis_client.publish("alerts", json.dumps(alert))


def listen_for_alerts(socketio):
    pubsub = redis_client.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(config.ALERTS_CHANNEL)
    for message in pubsub.listen():
        socketio.emit("alert", json.loads(message["data"]))
