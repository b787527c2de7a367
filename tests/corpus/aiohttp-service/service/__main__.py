"""``python -m service``: run the market data service."""

from aiohttp import web

from service.app import create_app
from service.config import Settings

if __name__ == "__main__":
    settings = Settings.from_env()
    web.run_app(create_app(settings), host=settings.host, port=settings.port)
