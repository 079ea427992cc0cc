from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LanguagesConfig(AppConfig):
    name = "sinqro_platform.languages"
    label = "languages"
    verbose_name = _("Languages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .derived_names import translate_derived_names
        from .signals import language_into_session

        translate_derived_names()
        user_logged_in.connect(language_into_session, dispatch_uid="sinqro_language_into_session")
