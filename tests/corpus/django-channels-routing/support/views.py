from django.http import HttpResponse


def index(request):
    return HttpResponse("support")


def websocket_help(request):
    return HttpResponse("how to reconnect")
