"""Configuration shared by the Flask app, the ASGI realtime server and the tools."""

import os

REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
ALERTS_CHANNEL = "alerts"
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only")
ALLOWED_ORIGINS = os.environ.get("ALLOWED_ORIGINS", "http://localhost:3000").split(",")
