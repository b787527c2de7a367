"""Deployment settings of the trading desk's Python services."""

import os

# every desk service reaches the browser-facing gateway on its one websocket endpoint
GATEWAY_WS_URL = "ws://gateway.desk.internal:8000/ws"
# the exchange's market data stream the gateway fans out (a third party, not our gateway)
MARKET_DATA_URL = "wss://stream.exchange.example.invalid/v2/quotes"
# the legacy risk engine still publishes on a socket of its own
RISK_STREAM_URL = "ws://gateway.desk.internal:8000/risk/stream"
SETTLEMENT_URL = os.environ.get("SETTLEMENT_WS_URL", "ws://gateway.desk.internal:8000/ws")
