"""HTTP routes; the support app's pages live under /support/."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("support/", include("support.urls")),
]
