from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LanguagesConfig(AppConfig):
    name = "sinqro_platform.languages"
    label = "languages"
    verbose_name = _("Languages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .derived_names import translate_derived_names

        translate_derived_names()
