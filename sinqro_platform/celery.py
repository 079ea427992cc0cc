"""The Celery app: tasks are discovered in every installed app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinqro_platform.settings")

app = Celery("sinqro_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
