"""GloriaFood, a channel written only as a manifest, runs the same contract kit as the hand-written modules."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr

from canonical import InboundEventKind, ServiceType
from integrations.channels.context import ConnectionInfo
from integrations.channels.corpus import CorpusCase
from integrations.channels.manifests.build import ManifestModule
from integrations.channels.registry import get_module_class
from integrations.channels.testkit import ChannelModuleContract, WebhookSample

MASTER_KEY = "gf-master-KEY-0123456789"
GloriaFood = get_module_class("gloriafood")


def headers(key: str | None = MASTER_KEY) -> dict[str, str]:
    return {"Content-Type": "application/json", **({"Authorization": key} if key is not None else {})}


class TestGloriaFoodContract(ChannelModuleContract):
    module_class = GloriaFood
    valid_credentials = {"master_key": MASTER_KEY}
    invalid_credentials = [{}, {"master_key": MASTER_KEY, "api_token": "x"}]

    def connection(self) -> ConnectionInfo:
        return ConnectionInfo(connection_id=7, store_id="casa-lucia-bcn", environment="sandbox", base_url="",
                              credentials=GloriaFood.credentials(master_key=SecretStr(MASTER_KEY)),
                              timezone="Europe/Madrid")

    def now(self) -> datetime:
        return datetime(2026, 3, 14, 19, 3, tzinfo=UTC)

    def corpus_connection(self) -> ConnectionInfo:
        return ConnectionInfo(connection_id=7, store_id="casa-lucia-bcn", environment="production", base_url="",
                              credentials=GloriaFood.credentials(master_key=SecretStr(MASTER_KEY)))

    def corpus_headers(self, case: CorpusCase) -> dict[str, str]:
        return {**case.headers, "Authorization": MASTER_KEY}  # 'we send a master key ... in the Authorization header'

    def corpus_now(self, case: CorpusCase) -> datetime:
        return self.now()

    def _body(self, name: str) -> bytes:
        return self.corpus_case(name).body

    def corpus_case(self, name: str) -> CorpusCase:
        return next(case for case in self.corpus() if case.name == name)

    def webhook_samples(self) -> list[WebhookSample]:
        return [
            WebhookSample("delivery paid online", self._body("order_delivery_online"), headers(),
                          (InboundEventKind.NEW_ORDER,), {"channel_order_id": "6100201"}),
            WebhookSample("pickup for later", self._body("order_pickup_for_later_cash"), headers(),
                          (InboundEventKind.NEW_ORDER,), {"channel_order_id": "6100202"}),
            WebhookSample("a dine-in order and a table reservation", self._body("orders_dine_in_and_reservation"),
                          headers(), (InboundEventKind.NEW_ORDER, InboundEventKind.NEW_RESERVATION)),
        ]

    sample_fields_checked = True  # the samples are the corpus: GloriaFood's documented shapes

    def forged_webhooks(self) -> list[WebhookSample]:
        body = self._body("order_delivery_online")
        return [WebhookSample("no Authorization", body, headers(None)),
                WebhookSample("another key", body, headers("gf-not-the-key"))]

    def malformed_webhooks(self) -> list[WebhookSample]:
        order = json.loads(self._body("order_pickup_for_later_cash"))["orders"][0]
        return [
            WebhookSample("not JSON", b"<orders/>", headers()),
            WebhookSample("no orders", b'{"count": 0, "orders": []}', headers()),
            WebhookSample("an order without its currency", json.dumps(
                {"count": 1, "orders": [{**order, "currency": None}]}).encode(), headers()),
            WebhookSample("an accepted_at that is not a time", json.dumps(
                {"count": 1, "orders": [{**order, "accepted_at": "yesterday"}]}).encode(), headers()),
        ]


def test_it_is_a_channel_module_the_platform_lists_like_the_others():
    assert issubclass(GloriaFood, ManifestModule)
    assert GloriaFood.slug == "gloriafood" and GloriaFood.name == "GloriaFood"
    assert GloriaFood.credentials.secret_fields() == ["master_key", "previous_master_key"]


def test_a_push_of_two_orders_gives_one_event_each_the_dine_in_order_with_its_table():
    contract = TestGloriaFoodContract()
    events = GloriaFood().parse_webhook(contract.connection(), contract._body("orders_dine_in_and_reservation"),
                                        headers())

    assert [event.kind for event in events] == [InboundEventKind.NEW_ORDER, InboundEventKind.NEW_RESERVATION]
    dine_in = events[0].order
    assert (dine_in.service_type, dine_in.diners, dine_in.table) == (ServiceType.IN_SITU, 2, "12")
    assert [event.event_id for event in events] == ["6100203:77", "6100204:77"]


def test_a_rotated_master_key_is_accepted_until_it_is_removed():
    contract = TestGloriaFoodContract()
    rotating = ConnectionInfo(connection_id=7, store_id="s", environment="sandbox", base_url="",
                              credentials=GloriaFood.credentials(master_key=SecretStr("new-key"),
                                                                 previous_master_key=SecretStr(MASTER_KEY)))
    GloriaFood().verify_webhook(rotating, contract._body("order_delivery_online"), headers(), contract.now())


@pytest.mark.django_db
def test_its_coverage_document_lists_what_it_ignores_and_why():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("coverage_document", "gloriafood", stdout=out)
    document = out.getvalue()

    assert "# Integration coverage: GloriaFood" in document and "1 of 8 features integrated" in document
    row = "| `orders[].restaurant_key` | the restaurant's key, echoed: the webhook URL already names the connection |"
    assert row in document.splitlines()
    assert "Known gaps" not in document  # the dine-in table is read now (CanonicalOrder.table)
    assert "`orders[].table_number`" not in document
    assert "no endpoint to fetch one order by its id" in document
    new_orders = next(line for line in document.splitlines() if line.startswith("| Webhook: new order"))
    assert "reservations too: yes" in new_orders
    assert "takes no status back for either" in document  # nothing can be posted back for a reservation
