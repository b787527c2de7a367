"""The Post Office package and the names it exports."""

from .websocket_gateway_service import WebSocketGatewayService
from .websocket_gateway_service import WebSocketGatewayService as Gateway

# the name plugins look the gateway up by
GATEWAY_CLASS = "WebSocketGatewayService"

__all__ = ["GATEWAY_CLASS", "Gateway", "WebSocketGatewayService"]
