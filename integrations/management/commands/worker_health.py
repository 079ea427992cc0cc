"""Is a Celery worker alive and reachable? For container healthchecks and operators.

    manage.py worker_health                          # any worker answers a ping
    manage.py worker_health --node worker@$(hostname) # this container's worker answers
    manage.py worker_health --queue inbound --queue outbound_urgent  # and someone consumes these queues

Checks the database, the broker connection, then pings the worker(s) through
the broker (Celery's remote control). Prints one line per check and exits 0
when all pass, 1 otherwise (``CommandError``), so a healthcheck can use the
exit code. Works with Redis, RabbitMQ and the development file-system broker.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connections


class Command(BaseCommand):
    help = "Exit 0 when the database, the broker and the Celery worker(s) answer; 1 otherwise."

    def add_arguments(self, parser):
        parser.add_argument("--node", action="append", default=[], help="Worker node name(s) that must answer")
        parser.add_argument("--queue", action="append", default=[], help="Queue(s) some answering worker must consume")
        parser.add_argument("--timeout", type=float, default=3.0, help="Seconds to wait for the ping replies")

    def handle(self, *args, node: list[str], queue: list[str], timeout: float, **options):
        from sinqro_platform.celery import app

        failures: list[str] = []
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT 1")
            self.stdout.write("database: ok")
        except Exception as exc:
            failures.append(f"database: {type(exc).__name__}: {exc}")

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=timeout)
            self.stdout.write("broker: ok")
        except Exception as exc:
            failures.append(f"broker: {type(exc).__name__}: {exc}")
        else:
            failures += self._ping(app, node, queue, timeout)

        if failures:
            raise CommandError("unhealthy: " + "; ".join(failures))
        self.stdout.write(self.style.SUCCESS("healthy"))

    def _ping(self, app, nodes: list[str], queues: list[str], timeout: float) -> list[str]:
        replies = app.control.ping(destination=nodes or None, timeout=timeout)
        answered = {name for reply in replies for name in reply}
        if not answered:
            return [
                f"workers: no worker answered within {timeout:g} s" + (f" (asked {', '.join(nodes)})" if nodes else "")
            ]
        missing = [name for name in nodes if name not in answered]
        if missing:
            return [f"workers: {', '.join(missing)} did not answer (answered: {', '.join(sorted(answered))})"]
        self.stdout.write(f"workers: {', '.join(sorted(answered))} answered")
        if not queues:
            return []
        active = app.control.inspect(destination=sorted(answered), timeout=timeout).active_queues() or {}
        consumed = {queue["name"] for worker_queues in active.values() for queue in worker_queues}
        unconsumed = [name for name in queues if name not in consumed]
        if unconsumed:
            return [f"queues: nobody consumes {', '.join(unconsumed)} (consumed: {', '.join(sorted(consumed))})"]
        self.stdout.write(f"queues: {', '.join(queues)} consumed")
        return []
