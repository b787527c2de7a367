"""Guide service: reaches the gateway class through the package and a module alias."""

import backend.smart_city.services.post_office.websocket_gateway_service as gws
from backend.smart_city.services import post_office as po
from backend.smart_city.services.post_office import Gateway


class GuideService:
    def __init__(self, redis_url: str) -> None:
        self.redis_url = redis_url

    def open_channels(self) -> None:
        self.primary = Gateway(None, self.redis_url)
        self.secondary = gws.WebSocketGatewayService(None, self.redis_url)
        self.tertiary = getattr(po, po.GATEWAY_CLASS)(None, self.redis_url)
        self.fallback = getattr(gws, "WebSocketGatewayService")(None, self.redis_url)


def make_standby(redis_url: str):
    return Gateway.create(redis_url)
