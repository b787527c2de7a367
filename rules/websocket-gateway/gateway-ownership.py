# Test cases for gateway-ownership.yaml (semgrep --test); not a module to import.
# ruff: noqa
from typing import Optional

from backend.smart_city.services.post_office import websocket_gateway_service as gateway_module
from backend.smart_city.services.post_office.websocket_gateway_service import (
    WebSocketGatewayService,
)


# ok: gateway-instantiation-in-class
class WebSocketGatewayService(BaseGateway):
    def __init__(self, post_office):
        # ok: gateway-instantiation-in-class
        BaseGateway.__init__(self)
        self.post_office = post_office


class PostOfficeService(SmartCityRoleBase):
    gateway: Optional[WebSocketGatewayService] = None

    async def initialize(self) -> None:
        # ruleid: gateway-instantiation-in-class
        self.gateway = WebSocketGatewayService(post_office=self)
        # ruleid: gateway-instantiation-in-class
        self.backup = gateway_module.WebSocketGatewayService(self)
        # ruleid: gateway-instantiation-in-class
        self.api_gateway = ApiGatewayClient.from_env()
        # ok: gateway-instantiation-in-class
        if isinstance(self.gateway, WebSocketGatewayService):
            # ok: gateway-instantiation-in-class
            raise GatewayError("already initialised")

    class Factory:
        def make(self):
            # reported once, owned by PostOfficeService (the outermost class)
            # ruleid: gateway-instantiation-in-class
            return WebSocketGatewayService(None)


def build_gateway() -> WebSocketGatewayService:
    # ruleid: gateway-instantiation-outside-class
    return WebSocketGatewayService(post_office=None)


# ruleid: gateway-instantiation-outside-class
gateway = gateway_module.WebSocketGatewayService(None)

# ok: gateway-instantiation-outside-class
gateway_class = WebSocketGatewayService
# ok: gateway-instantiation-outside-class
gateway_service = create_gateway_service()


# import aliases and dynamic lookups: semgrep matches the name an alias stands for
from backend.smart_city.services.post_office.websocket_gateway_service import (
    WebSocketGatewayService as G,
)
import backend.smart_city.services.post_office.websocket_gateway_service as gws

GATEWAY_CLASS = "WebSocketGatewayService"


class ContentService(RealmServiceBase):
    def start(self, class_name):
        # ruleid: gateway-instantiation-in-class
        self.gateway = G(self)
        # ruleid: gateway-instantiation-in-class
        self.other = gws.WebSocketGatewayService(self)
        # ruleid: gateway-instantiation-in-class
        self.third = G.create()
        # ruleid: gateway-instantiation-in-class
        self.fourth = getattr(gws, "WebSocketGatewayService")(self)
        # ruleid: gateway-instantiation-in-class
        self.fifth = getattr(gateway_module, GATEWAY_CLASS)(self)
        # a name known only at run time, on a gateway module: reported, class unresolved
        # ruleid: gateway-instantiation-in-class
        self.sixth = getattr(gws, class_name)(self)
        # ok: gateway-instantiation-in-class
        self.helper = getattr(helpers, class_name)(self)
        # ok: gateway-instantiation-in-class
        self.error = getattr(gws, "GatewayError")("boom")


def start_outside(class_name):
    # ruleid: gateway-instantiation-outside-class
    G(None)
    # ruleid: gateway-instantiation-outside-class
    return getattr(gateway_module, class_name)(None)
