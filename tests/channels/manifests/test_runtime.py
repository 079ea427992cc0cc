"""The manifest runtime's pieces, each on its own: money and minor units, times and zones, outbound auth
strategies and a GET of the order, as a manifest declares them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import shutil
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from pydantic import SecretStr

from canonical import OrderRef, OrderStatus, ServiceType, StatusUpdate
from integrations.channels.context import ConnectionInfo
from integrations.channels.errors import WebhookRejected
from integrations.channels.manifests import load_manifest
from integrations.channels.manifests.kit import check as kit_check
from integrations.channels.manifests.values import Scope, UnreadableValue, evaluate
from integrations.channels.recording import CannedResponse, RecordingTransport
from integrations.http import PermanentChannelError

CHANNEL = Path(__file__).resolve().parents[3] / "integrations" / "channels" / "gloriafood"


def value(spec, data, **scope):
    return evaluate(spec, Scope(data, data, **scope))


@pytest.mark.parametrize(("currency", "units", "amount"), [("EUR", 1234, "12.34"), ("JPY", 1234, "1234"),
                                                           ("KWD", 1234, "1.234")])
def test_minor_units_follow_the_currencys_iso_4217_exponent(currency, units, amount):
    money = value({"money": "price", "unit": "minor", "currency": "cur"}, {"price": units, "cur": currency})

    assert (money.amount, money.currency) == (Decimal(amount), currency)


def test_major_units_keep_the_decimal_written_and_refuse_what_is_not_an_amount():
    assert value({"money": "p", "currency": "EUR"}, {"p": 20.4}).amount == Decimal("20.40")
    assert value({"money": "p", "currency": "EUR"}, {"p": [3, 2.5]}).amount == Decimal("5.50")  # a list: the sum
    with pytest.raises(UnreadableValue, match="minor units must be an integer"):
        value({"money": "p", "unit": "minor", "currency": "EUR"}, {"p": 11.5})
    with pytest.raises(UnreadableValue, match="not an amount"):
        value({"money": "p", "currency": "EUR"}, {"p": "eleven"})


def test_times_in_each_documented_form_become_utc_instants():
    moment = datetime(2026, 1, 16, 20, 2, tzinfo=UTC)
    local = {"time": "t", "format": "%Y-%m-%d %H:%M:%S", "zone": {"offset_minutes": "o", "otherwise": "restaurant"}}

    assert value({"time": "t"}, {"t": "2026-01-16T20:02:00.000Z"}) == moment
    assert value({"time": "t", "format": "unix"}, {"t": int(moment.timestamp())}) == moment
    assert value({"time": "t", "format": "unix_ms"}, {"t": int(moment.timestamp()) * 1000}) == moment
    assert value(local, {"t": "2026-01-16 21:02:00", "o": "60"}) == moment
    assert value(local, {"t": "2026-01-16 21:02:00"}, restaurant_timezone="Europe/Madrid") == moment  # CET in January
    with pytest.raises(UnreadableValue, match="not a number of minutes"):
        value(local, {"t": "2026-01-16 21:02:00", "o": "one hour"})


def test_a_vocabulary_maps_keeps_or_falls_back_and_null_if_means_not_sent():
    vocabulary = {"reasons": {"USER_ERROR": "The customer has cancelled"}}

    assert value({"path": "r", "map": "reasons"}, {"r": "USER_ERROR"}, vocabularies=vocabulary) == \
        "The customer has cancelled"
    assert value({"path": "r", "map": "reasons", "otherwise": "keep"}, {"r": "NEW"}, vocabularies=vocabulary) == "NEW"
    assert value({"path": "p", "null_if": ["N/A"], "default": ""}, {"p": "N/A "}) == ""
    with pytest.raises(UnreadableValue, match="required"):
        value({"path": "id", "required": True}, {"other": 1})


API = """
api:
  base_urls: {sandbox: "https://sandbox.gloriafood.test", production: "https://pos.gloriafood.test"}
  path_prefix: "/restaurants/{store_id}"
  auth:
    AUTH
operations:
  get_order:
    method: GET
    url: "/orders/{channel_order_id}"
    response: {order: "orders[0]"}
  set_order_status:
    method: POST
    url: "/orders/{order.channel_order_id}/status"
    body: {status: "{status_code}", prep_minutes: "{update.prep_minutes}"}
"""
AUTHS = {
    "api_key_header": ("api_key_header: {credential: master_key, header: X-Api-Key}", "X-Api-Key", "the-key"),
    "bearer": ("bearer: {credential: master_key}", "Authorization", "Bearer the-key"),
    "static_token": ("static_token: {credential: master_key, header: Authorization, scheme: Token}",
                     "Authorization", "Token the-key"),
    "basic": ("basic: {username: client_id, password: master_key}", "Authorization",
              "Basic " + base64.b64encode(b"the-client:the-key").decode()),
    "oauth2": ("oauth2_client_credentials: {token_url: /oauth/token, client_id: client_id, client_secret: master_key}",
               "Authorization", "Bearer contract-kit-access-token"),  # the token RecordingTransport issues
}


def with_api(tmp_path: Path, auth: str) -> type:
    text = (CHANNEL / "manifest.yaml").read_text()
    text = text.replace("credentials:\n", "credentials:\n  client_id: {secret: false, required: false}\n", 1)
    text = text.replace('''  get_order:
    not_supported: "GloriaFood pushes each accepted order whole (or lets a device pop them from a queue); there is
      no endpoint to fetch one order by its id."''', "  get_order: {notes: a GET of one order}")
    text = text.replace('''  post_status:
    not_supported: "Orders reach us already accepted by the restaurant in GloriaFood's order-taking app; the API
      takes no status back."''', "  post_status: {options: {statuses: [ready]}}")
    text = text.replace("statuses:\n  inbound: {accepted: accepted}", "statuses:\n  inbound: {accepted: accepted}\n"
                        "  outbound: {ready: order_ready}")
    folder = tmp_path / "gloriafood"
    folder.mkdir()
    (folder / "manifest.yaml").write_text(text + API.replace("AUTH", auth))
    return load_manifest(folder / "manifest.yaml")


@pytest.mark.parametrize("strategy", sorted(AUTHS))
def test_each_auth_strategy_signs_the_get_of_an_order_it_then_translates(tmp_path, strategy):
    auth, header, expected = AUTHS[strategy]
    module = with_api(tmp_path, auth)
    push = json.loads((CHANNEL / "corpus" / "order_delivery_online.json").read_text())["payload"]

    transport = RecordingTransport(respond=lambda request: CannedResponse(200, push))
    connection = ConnectionInfo(connection_id=1, store_id="casa-lucia", environment="production", base_url="",
                                credentials=module.credentials(master_key=SecretStr("the-key"),
                                                               client_id="the-client"))
    order = module().client(connection, transport).get_order("6100201")

    [request] = transport.channel_requests()
    tokens = [r for r in transport.requests if r.is_token_request]
    if strategy == "oauth2":
        [token] = tokens
        form = parse_qs(token.body.decode())
        assert token.url == "https://pos.gloriafood.test/oauth/token"
        assert (form["client_id"], form["client_secret"]) == (["the-client"], ["the-key"])
    else:
        assert not tokens
    assert (request.method, request.url) == ("GET", "https://pos.gloriafood.test/restaurants/casa-lucia/orders/6100201")
    assert request.headers[header] == expected
    assert order.channel_order_id == "6100201" and order.amounts.total.amount == Decimal("32.90")


def test_a_body_template_keeps_json_types_and_a_missing_value_is_refused_not_sent(tmp_path):
    module = with_api(tmp_path, AUTHS["bearer"][0])
    transport = RecordingTransport()
    connection = ConnectionInfo(connection_id=1, store_id="casa-lucia", environment="sandbox", base_url="",
                                credentials=module.credentials(master_key=SecretStr("the-key")))
    client = module().client(connection, transport)
    order = OrderRef(channel_order_id="6100201", service_type=ServiceType.DELIVERY)

    client.set_order_status(order, StatusUpdate(status=OrderStatus.READY, prep_minutes=12))
    assert transport.channel_requests()[-1].json() == {"status": "order_ready", "prep_minutes": 12}
    with pytest.raises(PermanentChannelError, match=r"needs update\.prep_minutes"):
        client.set_order_status(order, StatusUpdate(status=OrderStatus.READY))
    assert len(transport.channel_requests()) == 1


BY_STATUS = """
  set_order_status:
    by_status:
      accepted: {method: PUT, url: "/orders/{order.channel_order_id}/accept"}
      rejected:
        method: PUT
        url: "/orders/{order.channel_order_id}/reject"
        requires: {update.reason: the channel needs the reason of a rejection}
        body: {reason: "{update.reason}"}
"""


def with_calls_per_status(tmp_path: Path) -> type:
    text = (CHANNEL / "manifest.yaml").read_text().replace('''  post_status:
    not_supported: "Orders reach us already accepted by the restaurant in GloriaFood's order-taking app; the API
      takes no status back."''', "  post_status: {options: {statuses: [accepted, rejected]}}")
    text = text.replace("statuses:\n  inbound: {accepted: accepted}", "statuses:\n  inbound: {accepted: accepted}\n"
                        "  outbound: {accepted: accept, rejected: reject}")
    api = API.replace("AUTH", AUTHS["bearer"][0]).split("  set_order_status:")[0] + BY_STATUS.lstrip("\n")
    folder = tmp_path / "gloriafood"
    folder.mkdir()
    (folder / "manifest.yaml").write_text(text + api)
    return load_manifest(folder / "manifest.yaml")


def test_a_channel_with_a_call_per_status_gets_each_call_and_a_refusal_for_the_others(tmp_path):
    module = with_calls_per_status(tmp_path)
    transport = RecordingTransport()
    connection = ConnectionInfo(connection_id=1, store_id="casa-lucia", environment="sandbox", base_url="",
                                credentials=module.credentials(master_key=SecretStr("the-key")))
    client = module().client(connection, transport)
    order = OrderRef(channel_order_id="61", service_type=ServiceType.DELIVERY)

    client.set_order_status(order, StatusUpdate(status=OrderStatus.ACCEPTED))
    client.set_order_status(order, StatusUpdate(status=OrderStatus.REJECTED, reason="kitchen closed"))
    sent = [(r.method, r.path, r.json()) for r in transport.channel_requests()]
    assert sent == [("PUT", "/restaurants/casa-lucia/orders/61/accept", None),
                    ("PUT", "/restaurants/casa-lucia/orders/61/reject", {"reason": "kitchen closed"})]
    with pytest.raises(PermanentChannelError, match="needs the reason"):
        client.set_order_status(order, StatusUpdate(status=OrderStatus.REJECTED))


def test_a_status_declared_postable_without_its_call_is_a_problem_named_with_its_line(tmp_path):
    from integrations.channels.manifests import manifest_problems

    text = BY_STATUS.split("      rejected:")[0]
    folder = tmp_path / "gloriafood"
    folder.mkdir()
    gloriafood = (CHANNEL / "manifest.yaml").read_text()
    not_supported = re.search(r'  post_status:\n    not_supported: ".*?"\n', gloriafood, re.DOTALL).group(0)
    postable = "  post_status: {options: {statuses: [accepted, rejected]}}\n"
    module_text = gloriafood.replace(not_supported, postable).replace(
        "statuses:\n  inbound: {accepted: accepted}", "statuses:\n  inbound: {accepted: accepted}\n"
        "  outbound: {accepted: accept, rejected: reject}")
    full = module_text + API.replace("AUTH", AUTHS["bearer"][0]).split("  set_order_status:")[0] + text.lstrip("\n")
    (folder / "manifest.yaml").write_text(full)

    [problem] = manifest_problems(folder / "manifest.yaml")
    assert "post_status declares 'rejected' but operations.set_order_status.by_status has no request" in \
        problem.message
    assert problem.line == next(n for n, line in enumerate(full.splitlines(), 1) if "by_status:" in line)


def test_a_time_inside_the_signed_body_is_the_replay_window(tmp_path):
    text = (CHANNEL / "manifest.yaml").read_text().replace(
        "    token: {header: Authorization, secrets: [master_key, previous_master_key]}\n",
        "    hmac: {header: X-Signature, algorithm: sha256, encoding: hex, signed: \"{body}\", secrets: [master_key],\n"
        "           timestamp: {path: \"orders[0].accepted_at\", format: iso, tolerance_seconds: 300}}\n")
    folder = tmp_path / "gloriafood"
    shutil.copytree(CHANNEL / "corpus", folder / "corpus")
    (folder / "manifest.yaml").write_text(text)
    module = load_manifest(folder / "manifest.yaml")
    connection = ConnectionInfo(connection_id=1, store_id="s", environment="sandbox", base_url="",
                                credentials=module.credentials(master_key=SecretStr("shh")))
    body = json.loads((CHANNEL / "corpus" / "order_delivery_online.json").read_text())["raw_body"].encode()
    signed = {"X-Signature": hmac.new(b"shh", body, hashlib.sha256).hexdigest()}
    accepted = datetime(2026, 3, 14, 19, 2, 11, tzinfo=UTC)  # the fixture's accepted_at

    module().verify_webhook(connection, body, signed, accepted + timedelta(minutes=4))
    with pytest.raises(WebhookRejected, match="outside the 300 s tolerance"):
        module().verify_webhook(connection, body, signed, accepted + timedelta(minutes=6))
    stripped = b'{"count":0,"orders":[{}]}'
    with pytest.raises(WebhookRejected, match="missing from the signed body"):
        module().verify_webhook(connection, stripped, {"X-Signature": hmac.new(b"shh", stripped, hashlib.sha256)
                                                       .hexdigest()}, accepted)
    assert kit_check(folder / "manifest.yaml").ok  # the kit receives each fixture at its own signed time


def test_an_order_hook_takes_the_one_decision_the_mapping_cannot_and_the_mapping_does_the_rest(tmp_path):
    text = (CHANNEL / "manifest.yaml").read_text().replace(
        "        prices_include_vat: {path: tax_type, map: {GROSS: true, NET: false}}\n",
        "        prices_include_vat: {value: null}  # not said: the hook reads it from the totals\n").replace(
        "  times: {format: iso, zone: utc}\n",
        "  times: {format: iso, zone: utc}\n  hook: integrations.channels.manifests.hooks.arithmetic:"
        "vat_placement_from_totals\n")
    folder = tmp_path / "gloriafood"
    shutil.copytree(CHANNEL / "corpus", folder / "corpus")
    (folder / "manifest.yaml").write_text(text)
    module = load_manifest(folder / "manifest.yaml")
    push = json.loads((CHANNEL / "corpus" / "order_delivery_online.json").read_text())["payload"]["orders"][0]
    on_top = {**push, "total_price": 35.71}  # 27.90 + fees 5.00 + VAT 2.81: a NET-style total

    inside = module.read_order(push)
    added = module.read_order(on_top)
    unclear = module.read_order({**push, "total_price": 40})

    assert (inside.amounts.prices_include_vat, added.amounts.prices_include_vat) == (True, False)
    assert unclear.amounts.prices_include_vat is None  # neither adds up: not guessed
    assert inside.amounts.vat.amount == Decimal("2.81") and inside.lines[0].name == "Pizza Margherita"
