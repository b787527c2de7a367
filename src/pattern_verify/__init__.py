"""pattern-verify: keep an architecture pattern true on every pull request."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pattern-verify")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.1.0"
