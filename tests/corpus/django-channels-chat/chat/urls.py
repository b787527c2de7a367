from django.urls import path, re_path

from . import views

app_name = "chat"

urlpatterns = [
    path("", views.index, name="index"),
    path("websocket-status/", views.websocket_status, name="websocket-status"),
    re_path(r"^(?P<room_name>\w+)/$", views.room, name="room"),
]
