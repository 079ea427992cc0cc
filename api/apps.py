from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "POS API"

    def ready(self) -> None:
        # Registers the Api-Key security scheme with drf-spectacular.
        from . import schema  # noqa: F401
