"""Minimal settings: the platform's database and keys, nothing else installed or in the middleware."""

import environ

env = environ.Env()
SECRET_KEY = env.str("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
INSTALLED_APPS = ["bench.floor"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "bench.stack_floor.urls"
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)  # as the platform's
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
