from flask import Blueprint

from extensions import sock

alerts_bp = Blueprint("alerts", __name__, url_prefix="/alerts")


@alerts_bp.route("/")
def index():
    return {"alerts": []}


@sock.route("/stream", bp=alerts_bp)
def stream(ws):
    ws.send("subscribed")
    while ws.receive() is not None:
        pass
