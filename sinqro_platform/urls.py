from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from integrations.hosting_views import channel_file
from integrations.metrics import metrics

from . import health
from .languages.views import set_language

admin.site.site_header = "Sinqro integrations"
admin.site.site_title = "Sinqro"
admin.site.site_url = "/restaurants/"  # admin's "View site": the restaurants' pages (nothing is served at /)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("webhooks/", include("integrations.inbound.urls")),
    path("api/v1/", include("api.urls")),
    path("restaurants/", include("integrations.pages.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("channel-files/<str:token>", channel_file, name="channel_file"),
    path("i18n/setlang/", set_language, name="set_language"),  # the language switcher (Django's view, kept per user)
    path("health/", health.health, name="health"),
    path("health/live/", health.live, name="health_live"),
    path("metrics", metrics, name="metrics"),
]
