"""Chat-ops bot: joins the ops team room and answers "status" requests."""

import os

import socketio

sio = socketio.Client(reconnection=True, logger=False)


@sio.event
def connect():
    sio.emit("join", {"team": "ops"})


@sio.on("message")
def on_message(data):
    if data.get("text", "").strip() == "status":
        sio.emit("message", {"text": "all systems nominal", "from": "bot"})


def main():
    sio.connect(os.environ.get("DASHBOARD_URL", "http://localhost:5000"), transports=["websocket"])
    sio.wait()


if __name__ == "__main__":
    main()
