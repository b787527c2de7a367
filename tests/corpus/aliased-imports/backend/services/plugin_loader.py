"""Plugins name the gateway class they want in their settings."""

from backend.smart_city.services.post_office import websocket_gateway_service as gateway_module


class PluginLoader:
    def __init__(self, settings: dict[str, str]) -> None:
        self.settings = settings

    def load_transport(self):
        class_name = self.settings["transport_class"]
        return getattr(gateway_module, class_name)(None, self.settings["redis_url"])
