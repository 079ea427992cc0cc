"""/health/ answers 200 when the database and the cache work, 503 with the reason when one does not."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from sinqro_platform import health

pytestmark = pytest.mark.django_db


def test_healthy_is_200_with_each_check(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {"database": True, "cache": True}
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_broken_cache_is_503_with_the_reason(client, settings):
    # A real Redis client against a port nobody listens on.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }

    response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is False and "ConnectionError" in body["checks"]["cache"]["reason"]


def test_a_broken_database_is_503_with_the_reason(client, monkeypatch):
    def refuse() -> None:
        raise OperationalError('connection to server at "db" failed: Connection refused\nIs the server running?')

    monkeypatch.setitem(health.CHECKS, "database", refuse)

    response = client.get("/health/")

    assert response.status_code == 503
    check = response.json()["checks"]["database"]
    assert check == {
        "ok": False,
        "reason": 'OperationalError: connection to server at "db" failed: Connection refused',
        "ms": check["ms"],
    }


def test_an_exception_in_a_check_never_becomes_a_500(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "cache", lambda: 1 / 0)

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["reason"] == "ZeroDivisionError: division by zero"


def test_liveness_checks_nothing(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "database", lambda: 1 / 0)

    assert client.get("/health/live/").json() == {"status": "ok"}


def test_health_is_reachable_over_plain_http_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/health/").status_code == 200
    assert client.get("/admin/login/").status_code == 301  # everything else still goes to HTTPS
