"""The Wolt simulator speaks Wolt's dialect: rotating refresh tokens, signed thin notifications, the corpus' orders,
the accept that fits each order type, the venue's status and hours, and the Wolt module's client against it."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest
from pydantic import SecretStr
from requests.structures import CaseInsensitiveDict

from canonical import Availability, OrderStatus, PauseRequest, StatusUpdate, WeeklyRange
from channel_simulators.testing import SimulatorProcess, running_simulator
from integrations.channels.context import ConnectionInfo
from integrations.channels.recording import RecordingTransport
from integrations.channels.wolt.module import Module, WoltCredentials
from integrations.http import ChannelHttp, MemoryCallRecorder, MemoryTokenStore

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CORPUS = Path(__file__).resolve().parents[2] / "integrations" / "channels" / "wolt" / "corpus"
VENUE = "venue-s1"


@pytest.fixture(scope="module")
def wolt_process() -> Iterator[SimulatorProcess]:
    with running_simulator("wolt") as simulator:
        yield simulator


@pytest.fixture
def wolt(wolt_process: SimulatorProcess) -> SimulatorProcess:
    wolt_process.reset()
    wolt_process.control("POST", "/_control/app", {"client_id": "cid", "client_secret": "csecret",
                                                   "webhook_secret": "hook-secret"})
    return wolt_process


def connect(wolt: SimulatorProcess, webhook_url: str = "") -> str:
    return wolt.control("POST", "/_control/venues", {"venue_id": VENUE, "webhook_url": webhook_url})["refresh_token"]


def refresh(wolt: SimulatorProcess, refresh_token: str, secret: str = "csecret"):
    raw = f"grant_type=refresh_token&refresh_token={refresh_token}&client_id=cid&client_secret={secret}".encode()
    return wolt.request("POST", "/oauth2/token", raw=raw, headers=FORM)


def bearer(wolt: SimulatorProcess, refresh_token: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + refresh(wolt, refresh_token).body["access_token"]}


def test_a_refresh_token_is_single_use_and_reusing_one_revokes_the_pair_it_bought(wolt):
    first = connect(wolt)
    issued = refresh(wolt, first).body
    assert issued["expires_in"] == 3600 and issued["refresh_token"] != first
    assert refresh(wolt, first, secret="wrong").status == 401

    reused = refresh(wolt, first)
    assert (reused.status, reused.body["error"]) == (400, "invalid_grant")
    # The pair the first exchange issued is revoked: its access token and its refresh token are both dead.
    gone = wolt.request("GET", "/venues/venue-s1/status", headers={"Authorization": f"Bearer {issued['access_token']}"})
    assert gone.status == 401 and gone.body["error_code"] == "UNAUTHORIZED"
    assert refresh(wolt, issued["refresh_token"]).status == 400


def test_a_new_order_is_a_corpus_order_announced_by_a_signed_thin_notification(wolt, inbox):
    first = connect(wolt, inbox.url)
    order = wolt.control("POST", "/_control/orders", {"venue_id": VENUE, "fixture": "get_order_self_delivery"})

    body, headers = inbox.wait(1)[0]
    note = json.loads(body)
    assert (note["type"], note["order"]["id"]) == ("order.notification", order["id"])
    assert note["order"]["status"] == "CREATED"
    assert note["order"]["venue_id"] == VENUE and "items" not in note
    assert note["order"]["resource_url"].endswith(f"/orders/{order['id']}")  # the outdated payload, as documented
    assert CaseInsensitiveDict(headers)["WOLT-SIGNATURE"] == hmac.new(b"hook-secret", body, hashlib.sha256).hexdigest()

    fetched = wolt.request("GET", f"/v2/orders/{order['id']}", headers=bearer(wolt, first)).body
    documented = json.loads((CORPUS / "get_order_self_delivery.json").read_text())["payload"]
    assert fetched["items"] == documented["items"] and fetched["basket_price"] == documented["basket_price"]
    assert fetched["delivery"]["location"] == documented["delivery"]["location"]
    assert fetched["order_status"] == "RECEIVED" and fetched["id"] != documented["id"]


def test_each_order_type_takes_its_own_accept_and_the_notification_follows(wolt, inbox):
    headers = bearer(wolt, connect(wolt, inbox.url))
    instant = wolt.control("POST", "/_control/orders", {"venue_id": VENUE})
    own = wolt.control("POST", "/_control/orders", {"venue_id": VENUE, "fixture": "get_order_self_delivery"})
    planned = wolt.control("POST", "/_control/orders", {"venue_id": VENUE, "fixture": "get_order_preorder"})

    assert wolt.request("PUT", f"/orders/{own['id']}/accept", headers=headers).status == 409
    assert wolt.request("PUT", f"/orders/{planned['id']}/accept", headers=headers).status == 409
    assert wolt.request("PUT", f"/orders/{instant['id']}/accept", headers=headers).status == 200
    assert wolt.request("PUT", f"/orders/{own['id']}/self-delivery/accept", headers=headers).status == 200
    assert wolt.request("PUT", f"/orders/{planned['id']}/confirm-preorder", headers=headers).status == 200
    assert wolt.request("PUT", f"/orders/{instant['id']}/delivered", headers=headers).status == 409  # Wolt's courier

    statuses = [(json.loads(c.body)["order"]["id"], json.loads(c.body)["order"]["status"]) for c in inbox.wait(5)]
    assert (instant["id"], "PRODUCTION") in statuses and (own["id"], "PRODUCTION") in statuses
    assert (planned["id"], "PRODUCTION") not in statuses  # confirmed; Wolt starts it when it is time
    wolt.control("POST", f"/_control/orders/{planned['id']}/start")
    started = json.loads(inbox.wait(6)[-1].body)["order"]
    assert (started["id"], started["status"]) == (planned["id"], "PRODUCTION")


def client(wolt: SimulatorProcess, refresh_token: str):
    connection = ConnectionInfo(
        connection_id=1, store_id=VENUE, environment="sandbox", base_url=wolt.url,
        credentials=WoltCredentials(client_id="cid", client_secret=SecretStr("csecret"),
                                    refresh_token=SecretStr(refresh_token), webhook_secret=SecretStr("hook-secret")))

    class Live(RecordingTransport):
        def http(self, base_url, *, auth=None, error_parser=None, default_headers=None):
            return ChannelHttp(base_url, auth=auth, recorder=self.recorder)

    transport = Live(recorder=MemoryCallRecorder(), token_store=MemoryTokenStore())
    return Module().client(connection, transport), transport


def test_the_wolt_client_works_against_the_simulator_and_keeps_the_rotated_refresh_token(wolt, inbox):
    first = connect(wolt, inbox.url)
    wolt_client, transport = client(wolt, first)
    order = wolt.control("POST", "/_control/orders", {"venue_id": VENUE, "fixture": "get_order_preorder"})

    fetched = wolt_client.get_order(order["id"])
    assert fetched.is_scheduled and fetched.scheduled_for is not None
    wolt_client.set_order_status(fetched.ref(), StatusUpdate(status=OrderStatus.ACCEPTED))
    assert wolt.control("GET", f"/_control/orders/{order['id']}")["order_status"] == "ACKNOWLEDGED"

    wolt.control("POST", "/_control/tokens/expire")  # the access token is refused: refresh with the rotated one
    wolt_client.pause(PauseRequest(reason="Oven broken"))
    wolt_client.set_opening_hours(Availability(timezone="Europe/Madrid", weekly=(
        WeeklyRange(start_day=4, end_day=5, start_time=time(20), end_time=time(2)),)))
    venue = wolt.control("GET", f"/_control/venues/{VENUE}")
    assert venue["is_online"] is False
    assert venue["opening_times"] == [
        {"opening_day": "FRIDAY", "opening_time": "20:00", "closing_day": "SATURDAY", "closing_time": "02:00"},
        {"opening_day": "SATURDAY", "opening_time": "20:00", "closing_day": "SUNDAY", "closing_time": "02:00"}]
    stats = wolt.control("GET", "/_control/stats")
    assert stats["oauth_token"] == 2 and "refresh_token_reused" not in stats
    assert transport.recorder.operations().count("oauth_token") == 2
    recorded = json.dumps([(c.request_headers, c.request_body, c.response_body) for c in transport.recorder.calls])
    assert first not in recorded and "csecret" not in recorded  # the tokens and the secret are masked


def test_errors_come_in_wolts_shape(wolt):
    answer = wolt.request("GET", "/v2/orders/nope", headers={"Authorization": "Bearer x"})
    assert answer.status == 401 and set(answer.body) == {"error_code", "reason", "details"}
    assert CaseInsensitiveDict(answer.headers)["content-type"].startswith("application/json")
