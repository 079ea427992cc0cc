"""Settings for the benchmarks: production settings plus the bench-only floor endpoint.

``DJANGO_SETTINGS_MODULE=bench.settings`` is set by the bench scripts for every
process they start (gunicorn, workers, beat); nothing else ever loads it.
"""

from sinqro_platform.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench.floor"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
