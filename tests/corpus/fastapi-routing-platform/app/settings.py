"""Settings read from the environment at start-up."""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    ADMIN_PREFIX: str = os.environ.get("ADMIN_PREFIX", "/admin")
    REDIS_URL: str = os.environ.get("REDIS_URL", "redis://localhost:6379/0")


settings = Settings()
