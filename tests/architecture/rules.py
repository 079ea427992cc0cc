"""The house's import rules, as one function over an import list (so the rules themselves can be tested)."""

from __future__ import annotations

from .import_graph import Import, circles, resolve, under

OURS = ("canonical", "restaurants", "catalog", "orders", "integrations", "api", "sinqro_platform", "bench")
DOMAIN = ("restaurants", "catalog", "orders")
CHANNELS = "integrations.channels"
SDK = "integrations.http"
SIMULATORS = ("channel_simulators",)
# What a channel module may not reach: the ORM and the rest of the web framework, the queue, the API layer.
# (The registry, the platform's seam in that folder, reads Django settings: ``django.conf`` is allowed.)
PLATFORM_MACHINERY = ("django.db", "django.contrib", "django.http", "django.core", "django.apps", "celery",
                      "rest_framework")


def broken_rules(imports: list[Import], modules: set[str]) -> list[str]:
    """Every broken rule, one line each ("rule: path:line imports target"); empty when the house is in order."""
    broken: list[str] = []
    for imp in imports:
        what = f"{imp.where} imports {imp.target}"
        ours = under(imp.target, *OURS, *SIMULATORS)
        if under(imp.importer, "canonical") and (
            (ours and not under(imp.target, "canonical")) or under(imp.target, "django")
        ):
            broken.append(f"the ground floor imports nothing of ours: {what}")
        if under(imp.importer, *DOMAIN) and under(imp.target, "integrations", "api"):
            broken.append(f"the domain knows no channel: {what}")
        if under(imp.importer, CHANNELS) and (
            under(imp.target, *PLATFORM_MACHINERY) or (ours and not under(imp.target, "canonical", CHANNELS, SDK))
        ):
            broken.append(f"channels know no ORM, no domain, no platform (canonical, contract, SDK only): {what}")
        if under(imp.importer, SDK) and (under(imp.target, "django") or (ours and not under(imp.target, SDK))):
            broken.append(f"the channel SDK is pure: {what}")
        foreign = ours and not under(imp.target, *SIMULATORS)
        if under(imp.importer, *SIMULATORS) and (under(imp.target, "django") or foreign):
            broken.append(f"a simulator is another company's system: {what}")
        if not under(imp.importer, *SIMULATORS) and under(imp.target, *SIMULATORS):
            broken.append(f"the platform meets simulators only over HTTP: {what}")
    # `from x import y` is read twice (y may be a module): one line per rule and place
    firsts = {line.rsplit(" imports ", 1)[0]: line for line in reversed(broken)}
    broken = [line for line in broken if firsts[line.rsplit(" imports ", 1)[0]] == line]
    edges = []
    for imp in imports:
        target = resolve(imp.target, modules)
        if target:
            edges.append((imp.importer, target))
    for circle in circles(modules, edges):
        # a package's __init__ re-exporting its own submodules is how Python packages are built, not a circle of rooms
        root = circle[0]
        if all(member == root or member.startswith(root + ".") for member in circle):
            continue
        broken.append("import circle: " + " <-> ".join(circle))
    return broken
