"""Every websocket route of the project, each app under its own prefix."""

from channels.routing import URLRouter
from django.urls import path

from dashboards.consumers import DashboardConsumer
from live import routing as live_routing
from support.routing import support_routes

websocket_urlpatterns = [
    path("ws/live/", URLRouter(live_routing.websocket_urlpatterns)),
    path("ws/support/", URLRouter(support_routes())),
    path(
        "ws/dash/",
        URLRouter(
            [
                path("<int:board>/", DashboardConsumer.as_asgi()),
            ]
        ),
    ),
]
