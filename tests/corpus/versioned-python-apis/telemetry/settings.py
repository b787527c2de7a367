"""Deployment settings of the telemetry service."""

import os

API_VERSION = int(os.environ.get("TELEMETRY_BETA_VERSION", "3"))
REDIS_URL = "redis://localhost:6379/0"
