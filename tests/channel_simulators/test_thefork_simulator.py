"""The TheFork simulator speaks TheFork's dialect: Auth0 tokens with the audience, the corpus' reservations and
customers, thin unsigned webhooks, cancellation, and TheFork's error shape."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest

from channel_simulators.testing import WebhookInbox, running_simulator

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CORPUS = Path(__file__).resolve().parents[2] / "integrations" / "channels" / "thefork" / "corpus"
RESTAURANT = "6a1f2c3e-8b4d-4f0a-9c21-5e7d8a9b0c14"
GROUP = "2f9e6b1a-4c3d-4e5f-8a7b-9c0d1e2f3a4b"


@pytest.fixture(scope="module")
def thefork_process():
    with running_simulator("thefork") as simulator:
        yield simulator


@pytest.fixture(scope="module")
def inbox():
    box = WebhookInbox()
    yield box
    box.close()


@pytest.fixture
def thefork(thefork_process, inbox):
    thefork_process.reset()
    thefork_process.control("POST", "/_control/app", {"client_id": "cid", "client_secret": "csecret"})
    thefork_process.control("POST", "/_control/restaurants", {"restaurant_uuid": RESTAURANT, "group_uuid": GROUP,
                                                              "webhook_url": inbox.url_for(RESTAURANT)})
    return thefork_process


def token(thefork, secret: str = "csecret", audience: str = "https://api.thefork.io"):
    raw = urlencode({"audience": audience, "grant_type": "client_credentials", "client_id": "cid",
                     "client_secret": secret}).encode()
    return thefork.request("POST", "/oauth/token", raw=raw, headers=FORM)


def bearer(thefork) -> dict[str, str]:
    return {"Authorization": "Bearer " + token(thefork).body["access_token"]}


def delivered(thefork, inbox, reservation_id: str, event_type: str):
    """The webhook of ``event_type`` about ``reservation_id`` once the inbox has it (deliveries are asynchronous)."""
    return thefork.wait_for(lambda: next((hook for hook in inbox.received(RESTAURANT)
                                          if hook.json["uuid"] == reservation_id
                                          and hook.json["eventType"] == event_type), None))


def corpus(name: str) -> dict:
    return json.loads((CORPUS / f"{name}.json").read_text())


def test_tokens_are_issued_for_the_right_secret_and_audience_and_last_8600_seconds(thefork):
    issued = token(thefork)
    assert issued.status == 200 and issued.body["expires_in"] == 8600 and issued.body["token_type"] == "Bearer"
    assert token(thefork, secret="wrong").status == 401
    assert token(thefork, audience="https://elsewhere.example").status == 403
    assert thefork.control("GET", "/_control/stats")["oauth_token"] == 3


def test_the_api_needs_a_live_token_and_answers_in_thefork_shape(thefork):
    denied = thefork.request("GET", "/manager/v1/reservations/nope")
    assert (denied.status, denied.body) == (401, {"data": {}, "error": "Unauthorized", "statusCode": 401})
    missing = thefork.request("GET", "/manager/v1/reservations/nope", headers=bearer(thefork))
    assert missing.status == 404 and missing.body["data"] == {"code": "RESERVATION_NOT_FOUND"}


def test_a_booking_is_the_corpus_reservation_announced_by_a_thin_reservation_created(thefork, inbox):
    booked = thefork.control("POST", "/_control/reservations", {"restaurant_uuid": RESTAURANT})
    documented = corpus("get_reservation_recorded")

    hook = delivered(thefork, inbox, booked["reservationUuid"], "reservationCreated")
    assert hook.json == {"entityType": "reservation", "uuid": booked["reservationUuid"],
                         "eventType": "reservationCreated", "groupUuid": GROUP, "restaurantUuid": RESTAURANT}
    assert "Authorization" not in hook.headers  # unsigned: the token is in the URL

    served = thefork.request("GET", f"/manager/v1/reservations/{booked['reservationUuid']}", headers=bearer(thefork))
    fresh = {"reservationUuid", "mealDate", "customerUuid"}
    assert served.body.keys() == documented["payload"].keys()
    assert {k: v for k, v in served.body.items() if k not in fresh} == {
        k: v for k, v in documented["payload"].items() if k not in fresh}
    assert served.body["mealDate"].endswith("T20:30:00.000Z")
    guest = thefork.request("GET", f"/manager/v1/customers/{served.body['customerUuid']}", headers=bearer(thefork))
    assert guest.body["firstName"] == documented["related"][0]["payload"]["firstName"]


@pytest.mark.parametrize("fixture", sorted(p.stem for p in CORPUS.glob("get_reservation_*.json")
                                           if not p.name.endswith(".expected.json")))
def test_every_corpus_reservation_can_be_booked_with_its_status(thefork, fixture):
    booked = thefork.control("POST", "/_control/reservations", {"restaurant_uuid": RESTAURANT, "fixture": fixture})
    assert booked["status"] == corpus(fixture)["payload"]["status"]


def test_a_change_in_thefork_manager_sends_reservation_updated_and_a_cancel_is_taken_once(thefork, inbox):
    booked = thefork.control("POST", "/_control/reservations", {"restaurant_uuid": RESTAURANT})
    reservation_id = booked["reservationUuid"]
    delivered(thefork, inbox, reservation_id, "reservationCreated")

    thefork.control("POST", f"/_control/reservations/{reservation_id}/status", {"status": "SEATED"})
    updated = delivered(thefork, inbox, reservation_id, "reservationUpdated")
    assert updated.json["restaurantUuid"] == RESTAURANT

    headers = bearer(thefork)
    cancelled = thefork.request("PATCH", f"/manager/v1/reservations/{reservation_id}/cancel", headers=headers)
    assert cancelled.status == 200 and cancelled.body["status"] == "CANCELED"
    again = thefork.request("PATCH", f"/manager/v1/reservations/{reservation_id}/cancel", headers=headers)
    assert again.status == 400 and again.body["data"] == {"code": "CANCELLATION_ERROR"}
    assert [entry["reservation_id"] for entry in thefork.log("cancel")] == [reservation_id]
