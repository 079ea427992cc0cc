from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Sinqro integrations"
admin.site.site_title = "Sinqro"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("webhooks/", include("integrations.inbound.urls")),
]
