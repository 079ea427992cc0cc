"""Find channel modules by slug.

Every package under ``integrations/channels/`` whose ``module.py`` defines
``Module`` is a channel module; so is every folder there with a ``manifest.yaml``
and no ``module.py`` (a declarative channel, built by ``integrations.channels.manifests``
once its schema, meaning and corpus pass; a refused manifest is logged with its
problems and never registered). ``SINQRO_EXTRA_CHANNEL_MODULES`` (dotted
paths to ``ChannelModule`` subclasses) adds others, e.g. in tests.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

from .base import ChannelModule

logger = logging.getLogger(__name__)


class UnknownChannelModule(LookupError):
    pass


@cache
def _discovered() -> dict[str, type[ChannelModule]]:
    found: dict[str, type[ChannelModule]] = {}
    package_dir = Path(__file__).resolve().parent
    for info in pkgutil.iter_modules([str(package_dir)]):
        if not info.ispkg:
            continue
        if not (package_dir / info.name / "module.py").exists():
            continue
        module_cls = importlib.import_module(f"{__package__}.{info.name}.module").Module
        found[module_cls.slug] = module_cls
    for slug, module_cls in discover_manifests(package_dir).items():
        found.setdefault(slug, module_cls)  # a package's module.py wins over a manifest beside it
    return found


def discover_manifests(directory: Path) -> dict[str, type[ChannelModule]]:
    """The declarative channels in ``directory``: ``<folder>/manifest.yaml`` without a ``module.py`` beside it.

    Each is checked in full (``manifests.kit.check``: schema, meaning, declaration, corpus); one with problems
    is refused, logged with every problem and its line, and the other channels load as usual.
    """
    from .manifests.kit import check  # the runtime imports this package's contract, not the other way round

    found: dict[str, type[ChannelModule]] = {}
    for manifest in sorted(directory.glob("*/manifest.yaml")):
        if (manifest.parent / "module.py").exists():
            continue
        report = check(manifest)
        if not report.ok:
            logger.error("channel manifest %s refused:\n%s", manifest,
                         "\n".join(problem.describe(manifest.name) for problem in report.problems))
            continue
        module_cls = report.module
        found[module_cls.slug] = module_cls
    return found


def all_modules() -> dict[str, type[ChannelModule]]:
    modules = dict(_discovered())
    for path in getattr(settings, "SINQRO_EXTRA_CHANNEL_MODULES", []):
        module_cls = import_string(path)
        modules[module_cls.slug] = module_cls
    return dict(sorted(modules.items()))


def get_module_class(slug: str) -> type[ChannelModule]:
    try:
        return all_modules()[slug]
    except KeyError:
        raise UnknownChannelModule(f"no channel module with slug {slug!r}") from None


@cache
def _instance(module_cls: type[ChannelModule]) -> ChannelModule:
    return module_cls()


def get_module(slug: str) -> ChannelModule:
    """The (stateless, shared) instance of the module with this slug."""
    return _instance(get_module_class(slug))


def module_choices() -> list[tuple[str, str]]:
    return [(slug, f"{cls.name} ({slug})") for slug, cls in all_modules().items()]
