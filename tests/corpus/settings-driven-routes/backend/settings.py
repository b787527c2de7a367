"""Deployment settings: the websocket paths are configured here, per environment."""

import os

from pydantic_settings import BaseSettings

LIVE_WS_PATH = "/ws/live"


class Settings(BaseSettings):
    admin_ws_path: str = "/ws/admin"
    allowed_origins: list[str] = ["https://ops.example.invalid"]


settings = Settings()
DEBUG = os.environ.get("DEBUG") == "1"
