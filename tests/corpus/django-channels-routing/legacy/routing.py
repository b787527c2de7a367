"""Channels 1.x routing of the old presence service, still deployed beside the new one
(settings: CHANNEL_LAYERS["default"]["ROUTING"] = "legacy.routing.channel_routing")."""

from channels.routing import route, route_class

from . import consumers

channel_routing = [
    route("websocket.connect", consumers.ws_connect, path=r"^/legacy/chat/$"),
    route("websocket.receive", consumers.ws_message, path=r"^/legacy/chat/$"),
    route("http.request", consumers.http_fallback),
    route_class(consumers.PresenceConsumer, path=r"^/legacy/presence/"),
]
