"""The house's rules hold: the domain knows no channel, channels know no ORM, the SDK is pure,
simulators and the platform meet only over HTTP, nothing imports in a circle."""

from __future__ import annotations

from .import_graph import Import, all_imports, source_files
from .rules import broken_rules


def test_the_house_keeps_its_import_rules():
    modules = set(source_files())
    assert {"canonical", "orders", "integrations.channels", "integrations.http"} <= modules  # the walk sees the code
    assert broken_rules(all_imports(), modules) == []


def _imp(importer: str, target: str, line: int = 1) -> Import:
    return Import(importer, target, f"{importer.replace('.', '/')}.py:{line}")


def test_each_rule_catches_what_it_forbids():
    modules = {
        "canonical.orders", "orders.intake", "integrations.models", "integrations.channels.glovo.module",
        "integrations.http.client", "channel_simulators.glovo.app", "integrations.inbound.processing",
        "integrations.outbound.outbox", "integrations.outbound.tasks", "integrations.outbound.runner",
    }
    bad = [
        _imp("canonical.orders", "orders.models"),
        _imp("canonical.orders", "django.db", 2),
        _imp("orders.intake", "integrations.models"),
        _imp("integrations.channels.glovo.module", "django.db.models"),
        _imp("integrations.channels.glovo.module", "orders.state_machine", 2),
        _imp("integrations.channels.glovo.module", "integrations.models", 3),
        _imp("integrations.http.client", "integrations.secrets"),
        _imp("channel_simulators.glovo.app", "integrations.channels.glovo"),
        _imp("integrations.inbound.processing", "channel_simulators.glovo.app"),
    ]
    found = broken_rules(bad, modules)
    assert [line.split(":")[0] for line in found] == [
        "the ground floor imports nothing of ours",
        "the ground floor imports nothing of ours",
        "the domain knows no channel",
        "channels know no ORM, no domain, no platform (canonical, contract, SDK only)",
        "channels know no ORM, no domain, no platform (canonical, contract, SDK only)",
        "channels know no ORM, no domain, no platform (canonical, contract, SDK only)",
        "the channel SDK is pure",
        "a simulator is another company's system",
        "the platform meets simulators only over HTTP",
    ]


def test_a_circle_through_a_lazy_import_is_found_and_a_package_init_is_not_one():
    modules = {"integrations.outbound.outbox", "integrations.outbound.tasks", "integrations.outbound.runner",
               "integrations.http", "integrations.http.client"}
    circle = [
        _imp("integrations.outbound.outbox", "integrations.outbound.tasks"),
        _imp("integrations.outbound.tasks", "integrations.outbound.runner.run_sync_job"),
        _imp("integrations.outbound.runner", "integrations.outbound.outbox"),
        _imp("integrations.http", "integrations.http.client"),
        _imp("integrations.http.client", "integrations.http"),
    ]
    assert broken_rules(circle, modules) == [
        "import circle: integrations.outbound.outbox <-> integrations.outbound.runner <-> integrations.outbound.tasks"
    ]
