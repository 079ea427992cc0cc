"""``manage.py coverage_document <slug> [--format markdown|html] [--language en|es]``."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.utils import DatabaseError
from django.utils import translation

from integrations.channels.registry import UnknownChannelModule, get_module
from integrations.coverage import build_coverage, render_html, render_markdown
from integrations.models import ValidationResult, ValidationRun


class Command(BaseCommand):
    help = "Print the integration coverage document for a channel module."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["markdown", "html"], default="markdown")
        parser.add_argument(
            "--language", choices=[code for code, _name in settings.LANGUAGES], default="en",
            help="The document's language (the module's own texts stay in English).",
        )

    def handle(self, *args, slug: str, format: str, language: str, **options):
        try:
            module = get_module(slug)
        except UnknownChannelModule as exc:
            raise CommandError(str(exc)) from None
        with translation.override(language):
            document = build_coverage(module, self._validations(slug))
            self.stdout.write(render_markdown(document) if format == "markdown" else render_html(document), ending="")

    def _validations(self, slug: str):
        """The latest validation results; none (and a word on stderr) on a database not migrated yet."""
        from integrations.validation_results import latest_validations

        try:
            tables = set(connection.introspection.table_names())
        except DatabaseError:
            tables = set()
        needed = {ValidationRun._meta.db_table, ValidationResult._meta.db_table}
        if not needed <= tables:
            self.stderr.write(
                "The database has no validation tables yet (run `manage.py migrate`): the document shows the "
                "module's declaration without validation results."
            )
            return {}
        return latest_validations(slug)
