"""``manage.py channel_manifest check <file>``: a channel manifest's schema and kit in one go.

Prints each problem as ``<file>:<line>: what is wrong (fix: what to do)`` and exits non-zero when there is any;
a manifest with problems is never built, so the registry never takes it either.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from integrations.channels.manifests.kit import check


class Command(BaseCommand):
    help = "Check a channel manifest: JSON Schema with line numbers, meaning, declaration and its corpus."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        checking = sub.add_parser("check", help="validate a manifest and run its corpus through the kit")
        checking.add_argument("file")

    def handle(self, *args, action: str, file: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        report = check(path)
        for problem in report.problems:
            self.stdout.write(problem.describe(path.name))
        if not report.ok:
            raise CommandError(f"{path.name}: {len(report.problems)} problem(s); the manifest is refused")
        for done in report.checked:
            self.stdout.write(f"ok: {done}")
        self.stdout.write(self.style.SUCCESS(f"{path.name}: the manifest passes"))
