"""Application factory: the chat blueprint keeps its own prefix, the live feed is re-homed
under /v2 when it is registered."""

from quart import Quart

from app.chat import chat_bp
from app.live import bp as live_bp


def create_app() -> Quart:
    app = Quart(__name__)
    app.register_blueprint(chat_bp)
    app.register_blueprint(live_bp, url_prefix="/v2/live")

    @app.route("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
