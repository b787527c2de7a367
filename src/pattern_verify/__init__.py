"""pattern-verify: keep an architecture pattern true on every pull request."""

# the one place the version is written: hatch reads it for the package metadata, and reading it
# here costs nothing (importlib.metadata would add ~30 ms to every run)
__version__ = "0.1.0"
