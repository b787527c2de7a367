from django.conf import settings
from django.urls import path

from hub.chat import consumers

websocket_urlpatterns = [
    path(f"{settings.WS_PREFIX}rooms/<str:room>/", consumers.RoomConsumer.as_asgi()),
]
