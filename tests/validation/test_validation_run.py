"""Validation runs against the Sandbox Market (its own process), webhooks coming back to a live server."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from integrations.channels.features import Feature
from integrations.models import ValidationResult, ValidationRun
from integrations.validation.runner import NotASandbox, run_validation
from integrations.validation_results import latest_validations
from tests.factories.integrations import ChannelFactory, ConnectionFactory

from .conftest import STORE

pytestmark = pytest.mark.django_db(transaction=True)


def results(run: ValidationRun) -> dict[str, tuple[str, str]]:
    return {row.feature: (row.result, row.detail) for row in run.results.all()}


def test_every_feature_passes_and_the_command_prints_a_table(sandbox_connection, market):
    out = io.StringIO()
    call_command("validate_connection", str(sandbox_connection.pk), stdout=out)

    run = ValidationRun.objects.get()
    found = results(run)
    assert run.state == "passed" and run.finished_at, found
    assert {feature: result for feature, (result, _) in found.items()} == {f.value: "passed" for f in Feature}
    assert "CONFIRMED" not in found["post_status"][1]  # our words, not the channel's
    assert "accepted → preparing → ready → picked_up → delivered (delivery)" in found["post_status"][1]
    assert "new_order for SM-" in found["webhook_new_order"][1]
    assert "status_changed for SM-" in found["webhook_status_changed"][1]
    # it really happened on the market
    states = [entry["payload"]["state"] for entry in market.log(STORE, "state")]
    assert {"CONFIRMED", "IN_KITCHEN", "READY", "ON_THE_WAY", "HANDED_OVER", "DECLINED", "VOIDED", "BOOKED",
            "ARRIVED", "FINISHED", "REFUSED", "NO_SHOW"} <= set(states)
    assert [entry["kind"] for entry in market.log(STORE) if entry["kind"] in ("pause", "resume")] == ["pause",
                                                                                                     "resume"]
    text = out.getvalue()
    assert f"Validation run {run.pk}: passed" in text
    assert all(feature.title in text for feature in Feature)

    coverage = latest_validations("sandbox_market")
    assert {outcome.result for outcome in coverage.values()} == {"passed"} and len(coverage) == 8
    document = io.StringIO()
    call_command("coverage_document", "sandbox_market", stdout=document)
    assert "| Post driver location | yes |" in document.getvalue() and "passed (" in document.getvalue()


def test_a_rejected_menu_upload_fails_that_feature_with_the_channels_reason(sandbox_connection, market):
    market.add_fault(store_ref=STORE, kind="menu_upload_failed", count=1)

    run = run_validation(sandbox_connection)

    found = results(run)
    assert run.state == "failed"
    assert found["publish_catalog"][0] == "failed"
    assert found["publish_catalog"][1].startswith("the channel rejected the catalog: rejected")
    assert all(result == "passed" for feature, (result, _) in found.items() if feature != "publish_catalog")


def test_a_server_error_fails_the_feature_it_hit(sandbox_connection, market, settings):
    settings.VALIDATION_WEBHOOK_WAIT_SECONDS = 5
    # The first two API calls are get_orders: the run taking its first test order into our rows (which it
    # leaves to the order's webhook when that fails), then the get_order check.
    market.add_fault(store_ref=STORE, kind="http_500", count=2)

    run = run_validation(sandbox_connection)

    result, detail = results(run)["get_order"]
    assert run.state == "failed" and result == "failed"
    assert "RetryableChannelError" in detail and "500" in detail
    assert results(run)["get_status"][0] == "passed"


def test_unsupported_features_and_missing_sandbox_tools_are_skipped_with_why(market, settings, db):
    settings.SINQRO_EXTRA_CHANNEL_MODULES = ["tests.validation.lite_module.Module"]
    market.register_store(store_ref="lite", api_key="k-lite", webhook_secret="s-lite", currency="EUR")
    connection = ConnectionFactory(
        channel=ChannelFactory(name="Lite", module="sandbox_market_lite", sandbox_base_url=market.url),
        store_id="lite", credentials={"api_key": "k-lite", "webhook_secret": "s-lite"},
    )

    run = run_validation(connection)

    found = results(run)
    assert run.state == "passed"
    assert found["post_delivery_location"] == ("skipped", "not supported: the market has no courier tracking")
    for feature in ("get_order", "get_status", "post_status", "webhook_new_order", "webhook_status_changed"):
        assert found[feature] == (
            "skipped", "no sandbox tools for module 'sandbox_market_lite': cannot create a test order")
    assert found["publish_catalog"][0] == found["post_availability"][0] == "passed"


def test_production_connections_are_never_validated(db):
    connection = ConnectionFactory(environment="production")
    with pytest.raises(NotASandbox):
        run_validation(connection)
    with pytest.raises(CommandError, match="production"):
        call_command("validate_connection", str(connection.pk), stdout=io.StringIO())
    assert not ValidationRun.objects.exists() and not ValidationResult.objects.exists()
