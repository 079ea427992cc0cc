from django.urls import path

from .views import WebhookView

app_name = "inbound"

urlpatterns = [
    path("<str:token>/", WebhookView.as_view(), name="webhook"),
    # Without the slash too: APPEND_SLASH cannot redirect a POST, and a channel may drop it.
    path("<str:token>", WebhookView.as_view()),
]
