"""Service settings, read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    redis_url: str
    risk_engine_url: str
    admin_token: str

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            host=os.environ.get("HOST", "0.0.0.0"),
            port=int(os.environ.get("PORT", "8080")),
            redis_url=os.environ.get("REDIS_URL", "redis://localhost:6379/0"),
            risk_engine_url=os.environ.get("RISK_ENGINE_URL", "ws://risk-engine:9000"),
            admin_token=os.environ.get("ADMIN_TOKEN", ""),
        )
