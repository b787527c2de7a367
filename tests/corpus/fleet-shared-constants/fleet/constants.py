"""Constants older modules import with `*`."""

DIAGNOSTICS_WS_PATH = "/diagnostics/ws"
