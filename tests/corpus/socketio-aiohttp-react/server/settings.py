import os

REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
# the engine.io path the web client is built with (web/src/config/realtime.ts)
SOCKETIO_PATH = "rt"
