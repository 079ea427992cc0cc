"""Health endpoints for load balancers and container orchestrators.

* ``/health/live/``: the process answers (no dependency checked): a liveness probe.
* ``/health/``: the database answers a query and the cache stores and returns a value:
  200 ``{"status": "ok", ...}``, or 503 ``{"status": "unavailable", ...}`` with the reason
  of each failing check. A readiness probe: take the instance out of rotation, don't kill it.

No authentication, no session, one query; exempt from the HTTPS redirect (settings). The
probe's Host header must be in ``ALLOWED_HOSTS``. The worker's check is the management
command ``worker_health``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

REASON_MAX = 200


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 returned something else")


def check_cache() -> None:
    key = f"sinqro:health:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    try:
        if cache.get(key) != "ok":
            raise RuntimeError("a value just stored could not be read back")
    finally:
        cache.delete(key)


CHECKS: dict[str, Callable[[], None]] = {"database": check_database, "cache": check_cache}


def run_checks() -> tuple[bool, dict[str, dict[str, object]]]:
    """Run every check; (all passed, per check: ok, milliseconds and the reason it failed)."""
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # any failure is the answer, not a 500
            message = str(exc).strip().splitlines()
            reason = f"{type(exc).__name__}: {message[0] if message else 'no message'}"
            results[name] = {"ok": False, "reason": reason[:REASON_MAX]}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return all(result["ok"] for result in results.values()), results


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    healthy, checks = run_checks()
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
