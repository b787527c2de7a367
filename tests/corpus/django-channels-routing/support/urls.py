from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="support-index"),
    path("websocket-help/", views.websocket_help, name="support-websocket-help"),
]
