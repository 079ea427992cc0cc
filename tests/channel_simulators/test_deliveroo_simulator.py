"""The Deliveroo simulator speaks Deliveroo's dialect: Basic-auth tokens, webhooks signed over GUID + body, the
order transitions (once per order, confirmed for scheduled orders only), the menu result by webhook."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator

import pytest

from channel_simulators.testing import SimulatorProcess, running_simulator

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
SECRET = "deliveroo-webhook-secret"


@pytest.fixture(scope="module")
def deliveroo() -> Iterator[SimulatorProcess]:
    with running_simulator("deliveroo") as simulator:
        yield simulator


@pytest.fixture
def site(deliveroo, inbox):
    deliveroo.reset()
    deliveroo.control("POST", "/_control/app", {"client_id": "cid", "client_secret": "csecret"})
    deliveroo.control("POST", "/_control/sites", {"site_id": "s1", "brand_id": "b1", "webhook_url": inbox.url,
                                                  "webhook_secret": SECRET})
    return "s1"


def token(deliveroo, secret: str = "csecret"):
    basic = base64.b64encode(f"cid:{secret}".encode()).decode()
    return deliveroo.request("POST", "/oauth2/token", raw=b"grant_type=client_credentials",
                             headers={**FORM, "Authorization": f"Basic {basic}"})


def bearer(deliveroo) -> dict[str, str]:
    return {"Authorization": "Bearer " + token(deliveroo).body["access_token"]}


def test_tokens_last_five_minutes_and_need_the_client_secret_as_basic_authorization(deliveroo, site):
    assert token(deliveroo).body["expires_in"] == 300
    assert token(deliveroo, secret="wrong").status == 401
    assert deliveroo.request("PATCH", "/order/v1/orders/gb:x", {"status": "accepted"}).status == 401


def test_a_new_order_is_the_corpus_order_signed_over_the_guid_and_the_body(deliveroo, site, inbox):
    order = deliveroo.control("POST", "/_control/orders", {"site_id": site})

    body, headers = inbox.wait(1)[0]
    guid = headers["X-Deliveroo-Sequence-Guid"]
    assert headers["X-Deliveroo-Hmac-Sha256"] == hmac.new(SECRET.encode(), guid.encode() + b" " + body,
                                                          hashlib.sha256).hexdigest()
    assert headers["X-Deliveroo-Payload-Type"] == "event/order.new"
    event = json.loads(body)
    assert event["event"] == "order.new" and event["body"]["order"] == order
    assert order["id"].startswith("gb:") and [line["pos_item_id"] for line in order["items"]] == ["BUR-CHK",
                                                                                                   "SID-FRY"]


def test_an_order_is_accepted_once_and_only_a_scheduled_one_is_confirmed(deliveroo, site, inbox):
    headers = bearer(deliveroo)
    asap = deliveroo.control("POST", "/_control/orders", {"site_id": site})["id"]
    planned = deliveroo.control("POST", "/_control/orders", {"site_id": site,
                                                             "fixture": "webhook_order_new_scheduled"})["id"]

    assert deliveroo.request("PATCH", f"/order/v1/orders/{asap}", {"status": "accepted"}, headers).status == 204
    assert deliveroo.request("PATCH", f"/order/v1/orders/{asap}", {"status": "accepted"}, headers).status == 409
    refused = deliveroo.request("PATCH", f"/order/v1/orders/{asap}", {"status": "confirmed"}, headers)
    assert refused.status == 400 and refused.body["error"]["code"] == "bad_request"
    assert deliveroo.request("PATCH", f"/order/v1/orders/{planned}", {"status": "accepted"}, headers).status == 204
    assert deliveroo.request("PATCH", f"/order/v1/orders/{planned}", {"status": "confirmed"}, headers).status == 204
    assert deliveroo.control("GET", f"/_control/orders/{planned}")["status"] == "confirmed"
    # Each change goes back as an order.status_update with the whole order.
    updates = [json.loads(c.body) for c in inbox.wait(5)[2:]]
    assert [u["body"]["order"]["status"] for u in updates] == ["accepted", "accepted", "confirmed"]


def test_a_menu_upload_is_answered_at_once_and_its_result_follows_by_webhook(deliveroo, site, inbox):
    menu = {"name": "Menu", "site_ids": [site], "menu": {"categories": [{"id": "c1", "item_ids": ["i1"]}],
                                                           "items": [{"id": "i1"}], "modifiers": []}}
    assert deliveroo.request("PUT", "/menu/v1/brands/b1/menus/m1", menu, bearer(deliveroo)).status == 200

    body, headers = inbox.wait(1)[0]
    assert headers["X-Deliveroo-Payload-Type"] == "webhook_menu"
    assert json.loads(body)["body"]["status"] == "succeeded"
    unknown = deliveroo.request("POST", "/menu/v1/brands/b1/menus/m1/item_unavailabilities/s1",
                                {"item_unavailabilities": [{"item_id": "nope", "status": "unavailable"}]},
                                bearer(deliveroo))
    assert unknown.status == 404


def test_a_rider_event_is_the_corpus_event_for_the_order(deliveroo, site, inbox):
    order = deliveroo.control("POST", "/_control/orders", {"site_id": site})
    deliveroo.control("POST", f"/_control/orders/{order['id']}/riders", {"fixture": "webhook_rider_in_transit"})

    body, headers = inbox.wait(2)[1]
    event = json.loads(body)
    assert headers["X-Deliveroo-Payload-Type"] == "event/rider.status_update"
    assert event["body"]["order_id"] == order["id"]
    assert event["body"]["riders"][0]["status_log"][-1]["status"] == "rider_in_transit"
