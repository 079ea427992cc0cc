"""gunicorn ``bench.stack_floor.wsgi:application``: the bench's other processes keep ``bench.settings``."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.stack_floor.settings"

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
