"""The production URLs plus ``/floor/<token>/``, the lower bound the webhook endpoint is compared with."""

from django.urls import path

from bench.floor.views import floor
from sinqro_platform.urls import urlpatterns as production_urlpatterns

urlpatterns = [*production_urlpatterns, path("floor/<str:token>/", floor)]
