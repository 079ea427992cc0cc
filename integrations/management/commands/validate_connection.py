"""``manage.py validate_connection <id>``: run a validation now and print a result per feature."""

from django.core.management.base import BaseCommand, CommandError

from integrations.channels.features import Feature
from integrations.models import Connection, ValidationResult
from integrations.validation.runner import NotASandbox, run_validation


class Command(BaseCommand):
    help = "Exercise every feature of a connection's channel module against its sandbox and record the results."

    def add_arguments(self, parser):
        parser.add_argument("connection_id", type=int)

    def handle(self, *args, connection_id: int, **options):
        connection = Connection.objects.select_related("channel", "restaurant").filter(pk=connection_id).first()
        if connection is None:
            raise CommandError(f"no connection {connection_id}")
        self.stdout.write(f"Validating {connection} …")
        width = max(len(feature.title) for feature in Feature)

        def progress(row: ValidationResult) -> None:
            title = Feature(row.feature).title
            style = {"passed": self.style.SUCCESS, "failed": self.style.ERROR}.get(row.result, self.style.WARNING)
            line = f"{title:<{width}}  {style(row.result.upper())}  {row.duration_ms:>6} ms  {row.detail}"
            self.stdout.write(line)

        try:
            run = run_validation(connection, on_progress=progress)
        except NotASandbox as exc:
            raise CommandError(str(exc)) from None
        if run.error:
            self.stdout.write(self.style.ERROR(f"Run stopped: {run.error}"))
        verdict = self.style.SUCCESS if run.state == "passed" else self.style.ERROR
        self.stdout.write(verdict(f"Validation run {run.pk}: {run.state}"))
        if run.state != "passed":
            raise SystemExit(1)
