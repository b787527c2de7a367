from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from .models import Room


@login_required
def index(request):
    return render(request, "chat/index.html", {"rooms": Room.objects.order_by("name")})


@login_required
def room(request, room_name):
    return render(request, "chat/room.html", {"room_name": room_name})


def websocket_status(request):
    """Used by the load balancer's health page: where the websocket lives."""
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    return JsonResponse({"channel_layer": backend, "websocket_url": "/ws/chat/<room>/"})
