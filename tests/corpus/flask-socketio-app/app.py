"""Ops dashboard: Flask pages, a Socket.IO channel for alerts and a plain
websocket echo/board endpoint (Flask-Sock) used by the kiosk screens."""

import json
import threading

from flask import Flask, jsonify, render_template
from flask_sock import Sock
from flask_socketio import SocketIO, emit, join_room

import config
from tasks import listen_for_alerts

app = Flask(__name__)
app.config["SECRET_KEY"] = config.SECRET_KEY

socketio = SocketIO(app, message_queue=config.REDIS_URL, cors_allowed_origins=config.ALLOWED_ORIGINS)
sock = Sock(app)

kiosks = set()
kiosks_lock = threading.Lock()


@app.route("/")
def index():
    return render_template("index.html")


@app.route("/websocket-help")
def websocket_help():
    return jsonify({"socketio": "/socket.io", "kiosk": "/echo"})


@sock.route("/echo")
def echo(ws):
    with kiosks_lock:
        kiosks.add(ws)
    try:
        while True:
            data = ws.receive()
            if data is None:
                break
            ws.send(data)
    finally:
        with kiosks_lock:
            kiosks.discard(ws)


def update_board(update):
    """Push a board update to every kiosk screen."""
    message = json.dumps(update)
    with kiosks_lock:
        targets = list(kiosks)
    for kiosk in targets:
        kiosk.send(message)


@socketio.on("message")
def handle_message(data):
    emit("message", data, broadcast=True)


@socketio.on("join")
def handle_join(data):
    join_room(data["team"])
    emit("joined", {"team": data["team"]}, to=data["team"])


if __name__ == "__main__":
    socketio.start_background_task(listen_for_alerts, socketio)
    socketio.run(app, host="0.0.0.0", port=5000)
