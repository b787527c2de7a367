"""The support app ships its websocket routes as a function, so that each project mounts them
where it likes (a reusable-app convention)."""

from django.urls import path

from .consumers import TicketConsumer


def support_routes():
    return [
        path("tickets/<str:ticket_id>/", TicketConsumer.as_asgi()),
    ]
