from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'integrations'

    def ready(self) -> None:
        from . import deploy_checks  # noqa: F401  (registers the deploy check)
