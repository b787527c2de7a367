# Test cases for abstraction-access.yaml (semgrep --test); not a module to import.
# ruff: noqa
WEBSOCKET = "websocket"


class ContentService(RealmServiceBase):
    async def initialize(self):
        # ruleid: abstraction-access-by-name
        self.ws = self.get_abstraction("websocket")
        # ruleid: abstraction-access-by-name
        self.ws = self.get_abstraction('websocket')
        # ruleid: abstraction-access-by-name
        self.cache = self.platform.get_abstraction(name="redis")
        # ruleid: abstraction-access-by-name
        messaging = get_abstraction(abstraction_name="messaging")
        # ruleid: abstraction-access-by-name
        self.ws = await self.di_container.get_infrastructure_abstraction("websocket")
        # a module constant is read as its value
        # ruleid: abstraction-access-by-name
        self.ws = self.get_abstraction(WEBSOCKET)
        # ok: abstraction-access-by-name
        self.ws = self.post_office.get_websocket_endpoint()
        # ok: abstraction-access-by-name
        self.abstractions = self.list_abstractions()

    def uses_attributes(self):
        # ruleid: abstraction-access-by-attribute
        self.websocket_abstraction.send("guide", {})
        # ruleid: abstraction-access-by-attribute
        conn = self.di_container.get_websocket_abstraction()
        # one fact, not two: abstraction-access-by-attribute must not report this line
        # ruleid: abstraction-access-by-name
        self.websocket_abstraction = self.get_abstraction("websocket")
        # ok: abstraction-access-by-attribute
        registry = self.get_abstraction
        # ok: abstraction-access-by-attribute
        self.register_abstraction("websocket", impl)
        # ok: abstraction-access-by-attribute
        self.websocket_abstraction_factory = None

    def documented(self):
        """Never call self.get_abstraction("websocket") here."""
        # ok: abstraction-access-by-name
        # self.get_abstraction("websocket")
        return None


# import aliases: semgrep matches the name an alias stands for
from backend.infrastructure import abstractions as sa
from backend.infrastructure.abstractions import get_abstraction as fetch
from backend.infrastructure.abstractions import session_abstraction as session
from backend.infrastructure.abstractions import websocket_abstraction as wsa


class AliasedService(RealmServiceBase):
    async def start(self):
        # ruleid: abstraction-access-by-attribute
        await sa.websocket_abstraction.send("guide", {})
        # ruleid: abstraction-access-by-attribute
        await wsa.send("guide", {})
        # the name is read from the imported attribute, not from the alias's text
        # ruleid: abstraction-access-by-attribute
        await session.connect()
        # ruleid: abstraction-access-by-name
        self.ws = fetch("websocket")
