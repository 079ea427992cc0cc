"""``manage.py channels``: every channel module and its feature table."""

from django.core.management.base import BaseCommand, CommandError

from integrations.channels.checks import check_module
from integrations.channels.features import Feature, Supported
from integrations.channels.registry import all_modules


class Command(BaseCommand):
    help = "List channel modules with the features each integrates (--check also verifies each declaration)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if a declaration disagrees with its code")

    def handle(self, *args, check: bool = False, **options):
        modules = all_modules()
        width = max(len(feature.value) for feature in Feature)
        failed = False
        for slug, module_cls in modules.items():
            supported = sum(1 for _, d in module_cls.features.items() if isinstance(d, Supported))
            self.stdout.write(self.style.MIGRATE_HEADING(f"{slug}  ·  {module_cls.name}  ·  {supported}/8 features"))
            for feature, declaration in module_cls.features.items():
                if isinstance(declaration, Supported):
                    self.stdout.write(f"  {feature.value:<{width}}  yes")
                else:
                    self.stdout.write(f"  {feature.value:<{width}}  no   {declaration.reason}")
            if check:
                for problem in check_module(module_cls):
                    failed = True
                    self.stdout.write(self.style.ERROR(f"  ! {problem}"))
            self.stdout.write("")
        if failed:
            raise CommandError("some channel modules disagree with their declaration")
