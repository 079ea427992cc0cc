"""Renewing a lease while work runs: the one thread both the outbox's jobs and the webhook events use."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from types import TracebackType

from django.db import connection as db_connection


class LeaseRenewal:
    """Calls ``renew`` every third of ``length()`` while the block runs (a daemon thread).

    The thread has its own database connection, closed when it stops. A renewal
    that fails (the database hiccups) is tried again at the next beat; one that
    answers False (the work is no longer this run's: finished, released or
    taken) stops the thread, and the fenced writes after it change nothing either.
    """

    def __init__(self, renew: Callable[[], bool], length: Callable[[], timedelta], what: str,
                 logger: logging.Logger) -> None:
        self._renew, self._length, self._what, self._logger = renew, length, what, logger
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{what.replace(' ', '-')}", daemon=True)

    def __enter__(self) -> LeaseRenewal:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _beat(self) -> None:
        interval = max(0.05, self._length().total_seconds() / 3)
        try:
            while not self._stop.wait(interval):
                try:
                    if not self._renew():
                        self._logger.warning("%s is no longer this run's; its lease is not renewed", self._what)
                        return
                except Exception:
                    self._logger.exception("could not renew the lease of %s; trying again", self._what)
        finally:
            db_connection.close()
