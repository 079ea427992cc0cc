"""The Uber Eats simulator speaks Uber's dialect: OAuth tokens, signed thin webhooks, the 11.5-minute deadline."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(autouse=True)
def app(uber):
    uber.reset()
    uber.control("POST", "/_control/app", {"client_id": "cid", "client_secret": "csecret", "expires_in": 300})
    uber.control("POST", "/_control/stores", {"store_id": "s1"})


def token(uber, secret: str = "csecret", scope: str = "eats.order eats.store"):
    raw = f"grant_type=client_credentials&client_id=cid&client_secret={secret}&scope={scope}".encode()
    return uber.request("POST", "/oauth/v2/token", raw=raw, headers=FORM)


def bearer(uber) -> dict[str, str]:
    return {"Authorization": "Bearer " + token(uber).body["access_token"]}


def test_tokens_are_issued_for_the_right_secret_and_known_scopes_only(uber):
    assert token(uber).body["expires_in"] == 300
    assert token(uber, secret="wrong").status == 401
    assert token(uber, scope="eats.everything").status == 400
    assert uber.control("GET", "/_control/stats")["oauth_token"] == 3


def test_api_calls_need_a_live_token(uber):
    order_id = uber.control("POST", "/_control/orders", {"store_id": "s1"})["id"]
    headers = bearer(uber)

    assert uber.request("GET", f"/v2/eats/order/{order_id}", headers=headers).status == 200
    uber.control("POST", "/_control/tokens/revoke")
    answer = uber.request("GET", f"/v2/eats/order/{order_id}", headers=headers)
    assert answer.status == 401 and answer.body["code"] == "unauthorized"


def test_a_new_order_sends_a_thin_webhook_signed_with_the_client_secret(uber, inbox):
    uber.control("POST", "/_control/stores", {"store_id": "s2", "webhook_url": inbox.url})
    order = uber.control("POST", "/_control/orders", {"store_id": "s2"})

    body, headers = inbox.wait(1)[0]
    event = json.loads(body)
    assert event["event_type"] == "orders.notification" and event["meta"]["resource_id"] == order["id"]
    assert event["resource_href"].endswith(f"/v2/eats/order/{order['id']}") and "cart" not in event
    assert headers["X-Uber-Signature"] == hmac.new(b"csecret", body, hashlib.sha256).hexdigest()


def test_orders_not_accepted_within_11_5_minutes_are_auto_cancelled(uber):
    headers = bearer(uber)
    late, on_time = (uber.control("POST", "/_control/orders", {"store_id": "s1"})["id"] for _ in range(2))
    uber.control("POST", f"/_control/orders/{late}/age", {"minutes": 11.4})
    uber.control("POST", f"/_control/orders/{on_time}/age", {"minutes": 11.4})

    assert uber.request("POST", f"/v1/eats/orders/{on_time}/accept_pos_order", {"reason": "ok"}, headers).status == 204
    uber.control("POST", f"/_control/orders/{late}/age", {"minutes": 0.2})
    refused = uber.request("POST", f"/v1/eats/orders/{late}/accept_pos_order", {"reason": "ok"}, headers)
    assert refused.status == 409 and "11.5 minutes" in refused.body["message"]
    assert uber.control("GET", f"/_control/orders/{late}")["current_state"] == "CANCELED"


def test_deny_needs_a_documented_reason_code_and_faults_can_be_injected(uber):
    headers = bearer(uber)
    order_id = uber.control("POST", "/_control/orders", {"store_id": "s1"})["id"]

    assert uber.request("POST", f"/v1/eats/orders/{order_id}/deny_pos_order",
                        {"reason": {"code": "BECAUSE"}}, headers).status == 400
    uber.control("POST", "/_control/faults", {"status": 503, "operation": "get_order", "retry_after": 3})
    failed = uber.request("GET", f"/v2/eats/order/{order_id}", headers=headers)
    assert failed.status == 503 and failed.headers["Retry-After"] == "3"
    assert uber.request("GET", f"/v2/eats/order/{order_id}", headers=headers).status == 200


CORPUS = Path(__file__).resolve().parents[2] / "integrations" / "channels" / "uber_eats" / "corpus"
FRESH = {"id", "display_id", "placed_at", "estimated_ready_for_pickup_at"}
"""What the simulator makes fresh in a corpus order: its ids, and its instants (placed now)."""


def corpus(name: str) -> dict:
    return json.loads((CORPUS / f"{name}.json").read_text())


@pytest.mark.parametrize("fixture", ["get_order_nested_modifiers_removed_item", "get_order_own_courier",
                                     "get_order_pickup", "get_order_dine_in"])
def test_orders_are_the_corpus_fixtures_field_by_field_with_fresh_ids_and_times(uber, fixture):
    documented = corpus(fixture)["payload"]

    created = uber.control("POST", "/_control/orders", {"store_id": "s1", "fixture": fixture})
    served = uber.request("GET", f"/v2/eats/order/{created['id']}", headers=bearer(uber)).body

    assert {key: value for key, value in served.items() if key not in FRESH | {"store"}} == {
        key: value for key, value in documented.items() if key not in FRESH | {"store"}}
    assert served["display_id"] == served["id"][-5:].upper() and served["store"]["id"] == "s1"
    placed = datetime.fromisoformat(served["placed_at"])
    assert abs((placed - datetime.now(UTC)).total_seconds()) < 60
    assert placed.utcoffset() == datetime.fromisoformat(documented["placed_at"]).utcoffset()


def test_a_scheduled_fixture_is_announced_the_way_its_trigger_was(uber, inbox):
    uber.control("POST", "/_control/stores", {"store_id": "s3", "webhook_url": inbox.url})
    order = uber.control("POST", "/_control/orders", {"store_id": "s3", "fixture": "get_order_scheduled"})

    body, _ = inbox.wait(1)[0]
    event = json.loads(body)
    documented = corpus("webhook_orders_scheduled_notification")["payload"]
    assert event["event_type"] == "orders.scheduled.notification" and event["meta"]["resource_id"] == order["id"]
    assert list(event) == list(documented) and list(event["meta"]) == list(documented["meta"])


def test_an_unknown_fixture_is_refused_with_the_ones_there_are(uber):
    refused = uber.request("POST", "/_control/orders", {"store_id": "s1", "fixture": "get_order_of_my_dreams"})

    assert refused.status == 400 and "get_order_pickup" in refused.body["message"]
