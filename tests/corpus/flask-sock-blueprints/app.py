"""Flask app with Flask-Sock websockets on blueprints, each registered under a prefix."""

from flask import Flask

from alerts.views import alerts_bp
from extensions import sock
from ops import ops_bp


def create_app() -> Flask:
    app = Flask(__name__)
    sock.init_app(app)
    app.register_blueprint(alerts_bp, url_prefix="/api/alerts")
    app.register_blueprint(ops_bp)
    return app
