# Test cases for constants.yaml (semgrep --test); not a module to import.
# ruff: noqa
import os

# ruleid: python-module-constant
WS_PATH = "/ws"
# ruleid: python-module-constant
API_PREFIX: str = "/api"
# ruleid: python-module-constant
TIMEOUT = 5
# ruleid: python-module-constant
REPLAY_PATH = os.environ.get("REPLAY_PATH", "/replay")
# ruleid: python-module-constant
LEGACY_PATH = "/legacy"
if os.environ.get("LEGACY_V2"):
    # ruleid: python-module-constant
    LEGACY_PATH = "/v2/legacy"
# ruleid: python-module-constant
LEGACY_PATH += "/ws"


def configure(path):
    # ok: python-module-constant
    local = "/not-a-module-constant"
    global WS_PATH
    # ruleid: python-module-constant
    WS_PATH = path


class Settings:
    # ok: python-module-constant
    admin_path = "/admin"
