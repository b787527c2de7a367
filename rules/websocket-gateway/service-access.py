# Test cases for service-access.yaml (semgrep --test); not a module to import.
# ruff: noqa
from experience_foundation import get_websocket_sdk


class ContentService:
    def __init__(self, post_office, experience_foundation):
        self.post_office = post_office
        # ruleid: websocket-sdk-use
        self.sdk = experience_foundation.get_websocket_sdk()
        # ruleid: websocket-sdk-use
        self.fallback = get_websocket_sdk(timeout=5)

    async def publish(self, item_id):
        # ruleid: post-office-api-call
        await self.post_office.publish_to_agent_channel("pillar:content", {"item": item_id})

    async def follow(self):
        # ruleid: post-office-api-call
        await self.post_office.subscribe_to_channel(
            "pillar:content",
            self.on_message,
        )

    def endpoint(self, container):
        # ruleid: post-office-api-call
        return container.get_service("PostOfficeService").get_websocket_endpoint()

    def look_alikes(self, bus):
        # names that only contain the APIs' names are other methods
        # ok: post-office-api-call
        bus.republish_to_agent_channel("guide", {})
        # ok: post-office-api-call
        bus.subscribe_to_channels(["guide"])
        # ok: websocket-sdk-use
        self.sdk_factory.get_websocket_sdk_config()
        # a reference, not a call
        # ok: post-office-api-call
        handler = self.post_office.publish_to_agent_channel
        # ok: post-office-api-call
        log("publish_to_agent_channel called")


class PostOfficeService:
    # the APIs' definitions are not calls of them
    # ok: post-office-api-call
    def get_websocket_endpoint(self):
        return "/ws"

    # ok: post-office-api-call
    async def publish_to_agent_channel(self, channel, message):
        await self.websocket_gateway.route_to_channel(channel, message)
