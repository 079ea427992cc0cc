"""``manage.py coverage_document <slug> [--format markdown|html]``."""

from django.core.management.base import BaseCommand, CommandError

from integrations.channels.registry import UnknownChannelModule, get_module
from integrations.coverage import build_coverage, render_html, render_markdown
from integrations.validation_results import latest_validations


class Command(BaseCommand):
    help = "Print the integration coverage document for a channel module."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["markdown", "html"], default="markdown")

    def handle(self, *args, slug: str, format: str, **options):
        try:
            module = get_module(slug)
        except UnknownChannelModule as exc:
            raise CommandError(str(exc)) from None
        document = build_coverage(module, latest_validations(slug))
        self.stdout.write(render_markdown(document) if format == "markdown" else render_html(document), ending="")
