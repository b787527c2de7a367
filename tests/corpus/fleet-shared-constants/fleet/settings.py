"""Fleet service settings. Paths are shared by the API, the workers and the realtime server's
build (which reads them from the generated `realtime/src/config.ts`)."""

import os

API_PREFIX = "/api"
VEHICLE_WS_PATH = "/vehicles/ws"
TELEMETRY_SOCKETIO_PATH = "telemetry/socket.io"
GATEWAY_URL = "http://gateway.fleet.internal:8000"

# set per deployment: not known until the process starts
REPLAY_WS_PATH = os.environ.get("FLEET_REPLAY_WS_PATH", "/replay/ws")

LEGACY_WS_PATH = "/legacy/ws"
if os.environ.get("FLEET_LEGACY_V2") == "1":
    LEGACY_WS_PATH = "/v2/legacy/ws"

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
