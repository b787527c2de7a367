"""Listens for geofence alerts; the connection options come from the deployment."""

import json
import os

import socketio

OPTIONS = json.loads(os.environ.get("ALERTS_SOCKETIO_OPTIONS", "{}"))


def listen(url: str) -> None:
    client = socketio.Client()

    @client.on("geofence", namespace="/alerts")
    def on_geofence(data):
        print("geofence", data)

    client.connect(url, **OPTIONS)
    client.wait()
