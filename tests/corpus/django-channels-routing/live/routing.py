from django.urls import re_path

from . import consumers

websocket_urlpatterns = [
    re_path(r"^scores/(?P<match_id>\d+)/$", consumers.ScoreConsumer.as_asgi()),
]
