"""The admin app with our admin site as the default one (``admin.site``), so every ``@admin.register`` lands on it."""

from django.contrib.admin.apps import AdminConfig


class SinqroAdminConfig(AdminConfig):
    """``django.contrib.admin`` whose default site is the two-factor capable one (sinqro_platform/admin_site.py)."""

    default_site = "sinqro_platform.admin_site.SinqroAdminSite"
