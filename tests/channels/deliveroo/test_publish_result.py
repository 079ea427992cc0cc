"""A menu upload's result by the Menu webhook: the publish job waits for it, takes it, or fails when none comes.

No worker here: the outbox's runner is called in-process (as the task calls it), over real HTTP against the
Deliveroo simulator; the Menu webhook comes through the platform's own webhook endpoint, signed as Deliveroo
signs it, and is processed as a worker would process it. The flow with a worker, where the simulator sends the
webhook itself, is in test_end_to_end.py.
"""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from integrations.channels.deliveroo.module import Module
from integrations.inbound.processing import RetryLater, process_webhook_event
from integrations.models import SyncJob, WebhookEvent
from integrations.outbound import claims
from integrations.outbound.runner import run_sync_job
from integrations.outbound.services import publish_catalog
from tests.factories.catalog import SectionItemFactory
from tests.factories.integrations import ChannelFactory, ConnectionFactory

from .test_contract import CORPUS_SECRET, corpus_case

pytestmark = pytest.mark.django_db(transaction=True)

SITE, BRAND = "deliveroo-wait-site", "sinqro-brand-1"
APP = {"client_id": "deliveroo-wait-client", "client_secret": "deliveroo-API-secret-wait"}


@pytest.fixture
def connection(deliveroo, purge_broker):
    channel = ChannelFactory(module="deliveroo", sandbox_base_url=deliveroo.url)
    connection = ConnectionFactory(channel=channel, store_id=SITE,
                                   credentials={**APP, "webhook_secret": CORPUS_SECRET, "brand_id": BRAND})
    deliveroo.control("POST", "/_control/app", APP)
    # The site takes uploads and never sends their result (a lost Menu webhook).
    deliveroo.control("POST", "/_control/sites", {"site_id": SITE, "brand_id": BRAND, "menu_results": False})
    SectionItemFactory(section__menu__restaurant=connection.restaurant, product__restaurant=connection.restaurant,
                       product__sku="PIZ-MARG", product__price=Decimal("11.50"))
    return connection


def menu_webhook(connection, name: str) -> WebhookEvent:
    """The corpus' Menu webhook, through our endpoint as Deliveroo sends it, then processed."""
    case = corpus_case(name)
    headers = {f"HTTP_{key.upper().replace('-', '_')}": value for key, value in case.headers.items()
               if key != "Content-Type"}
    response = Client().post(f"/webhooks/{connection.webhook_token}/", case.body, content_type="application/json",
                             **headers)
    assert response.status_code == 200
    event = WebhookEvent.objects.get(connection=connection, dedup_key__contains=case.headers[
        "X-Deliveroo-Sequence-Guid"])
    process_webhook_event(event.pk)
    event.refresh_from_db()
    return event


def test_an_upload_whose_result_never_comes_fails_visibly_at_its_timeout_and_a_late_result_changes_nothing(
    deliveroo, connection, monkeypatch
):
    monkeypatch.setattr(Module, "publish_result_timeout", timedelta(seconds=1))
    [upload] = publish_catalog(connection.restaurant)

    assert run_sync_job(upload.pk) == "processing"  # Deliveroo took the upload: not done, waiting for its result
    upload.refresh_from_db()
    assert upload.state == SyncJob.State.PENDING and upload.result["transaction_id"] == "sinqro"
    assert [entry["menu_id"] for entry in deliveroo.log("upload_menu")] == ["sinqro"]
    assert run_sync_job(upload.pk) == "not claimed"  # not due before its timeout

    time.sleep(max(0.0, (upload.next_attempt_at - upload.updated_at).total_seconds()) + 0.2)
    assert run_sync_job(upload.pk) == "failed"
    upload.refresh_from_db()
    assert upload.last_error == ("the channel took the catalog upload sinqro but no result came by its webhook "
                                 "within 0.0166667 min: whether the catalog is live is unknown; publish again")
    assert len(deliveroo.log("upload_menu")) == 1  # waiting asks Deliveroo nothing

    late = menu_webhook(connection, "webhook_menu_upload_succeeded")
    assert late.state == "ignored" and late.error == "publish result for upload sinqro: no publish waits for it"
    upload.refresh_from_db()
    assert upload.state == SyncJob.State.FAILED


def test_a_result_that_comes_ends_the_waiting_publish_at_once(deliveroo, connection):
    [upload] = publish_catalog(connection.restaurant)
    assert run_sync_job(upload.pk) == "processing"

    event = menu_webhook(connection, "webhook_menu_upload_failed")
    assert event.state == "processed" and event.event_type == "publish_result"
    upload.refresh_from_db()
    assert upload.state == SyncJob.State.PENDING and upload.next_attempt_at <= event.processed_at  # due now

    assert run_sync_job(upload.pk) == "failed"
    upload.refresh_from_db()
    assert upload.last_error == ("the channel rejected the catalog: category MAINS lists unknown item PIZ-DIAV; "
                                 "item SID-FRY: image could not be downloaded")


def test_a_result_that_comes_while_its_upload_is_still_being_recorded_is_taken_again_once_it_is(
    deliveroo, connection
):
    [upload] = publish_catalog(connection.restaurant)
    running = claims.claim(upload.pk)  # a worker is in the middle of the upload: no id recorded yet
    assert running is not None

    with pytest.raises(RetryLater, match="came before its publish job recorded the upload"):
        menu_webhook(connection, "webhook_menu_upload_succeeded")
    event = WebhookEvent.objects.get(connection=connection)
    assert event.state == "received" and "will retry" in event.error  # kept, for the retry

    claims.release(running, timezone.now(), "")  # that worker's run ends; the job runs (the upload) and waits
    assert run_sync_job(upload.pk) == "processing"
    assert process_webhook_event(event.pk).state == "processed"  # the retry finds it waiting
    assert run_sync_job(upload.pk) == "succeeded"
    upload.refresh_from_db()
    assert upload.result["webhook_result"] == {"state": "done", "transaction_id": "sinqro", "errors": [],
                                               "external_ids": {}}
