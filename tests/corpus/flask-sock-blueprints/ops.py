"""Operator console over a websocket, under the blueprint's own /ops prefix."""

from flask import Blueprint

from extensions import sock

ops_bp = Blueprint("ops", __name__, url_prefix="/ops")


@sock.route("/console", bp=ops_bp)
def console(ws):
    ws.send("ready")
