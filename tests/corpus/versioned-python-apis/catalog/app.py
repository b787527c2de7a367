"""The catalog app: an API router under /api, and a listener at the top."""

from litestar import Litestar, Router

from catalog.controllers import InventoryController
from catalog.handlers import orders, prices

api = Router(path="/api", route_handlers=[prices, InventoryController])
app = Litestar(route_handlers=[api, orders])
