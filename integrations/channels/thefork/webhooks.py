"""Inbound: TheFork's event webhooks are thin (entity type, event type, ids) and carry no signature.

docs.thefork.io/B2B-API/event-webhook-flow: we give TheFork "a RESTful POST endpoint ... with a custom URL and
a token" of our choosing; every payload has ``entityType`` (customer, reservation or review), ``uuid`` (the
entity, "necessary for retrieving the latest data") and ``eventType`` (``reservationCreated`` /
``reservationUpdated``, ``customerCreated`` / ``customerUpdated``), plus ``groupUuid`` and, for a
reservation, ``restaurantUuid``. We fetch the latest data and answer 200.

Authentication is the URL: the connection's webhook URL holds a 256-bit token of its own, checked by the
platform before anything reaches this module (an unknown token is refused and nothing is stored). What is left
to check here is that the event belongs to this connection: a reservation of another restaurant (or an event
of another group, when the connection names its group) means the URL was handed out wrongly or leaked, and is
refused with 403, recorded for staff, never taken into this restaurant.

There is no event id and no timestamp. A reservation event of either type is taken the same way: fetch the
reservation as it now is and take what is new (``reservationUpdated`` says only that something changed,
confirmation, no-show or cancellation included, so its status is read from the fetched reservation). The dedup
key is the entity, uuid and event type, so an identical redelivery is a duplicate; two updates of one
reservation are identical too, and the second is then healed by reconciliation (which GETs the reservation's
status), not by this webhook.
"""

from __future__ import annotations

from typing import Any

from canonical import InboundEvent, InboundEventKind
from integrations.channels.context import ConnectionInfo
from integrations.channels.errors import MalformedWebhook, WebhookRejected
from integrations.channels.payloads import read_json

from .vocabulary import CUSTOMER_EVENTS, RESERVATION_EVENTS


def _load(body: bytes) -> dict[str, Any]:
    try:
        data = read_json(body)
    except ValueError as exc:
        raise MalformedWebhook(f"not a TheFork webhook: the body is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise MalformedWebhook("not a TheFork webhook: the body is not a JSON object")
    missing = [key for key in ("entityType", "uuid", "eventType") if not isinstance(data.get(key), str)
               or not data.get(key).strip()]
    if missing:
        raise MalformedWebhook(f"not a TheFork webhook: {', '.join(missing)} missing or not text")
    return data


def verify(connection: ConnectionInfo, body: bytes) -> None:
    try:
        data = read_json(body)
    except ValueError:
        return  # reached our URL with its token, but unreadable: parse_webhook reports it as malformed
    if not isinstance(data, dict):
        return
    restaurant = data.get("restaurantUuid")
    if restaurant and connection.store_id and str(restaurant) != connection.store_id:
        raise WebhookRejected("the event is for another TheFork restaurant than this connection's "
                              "(restaurantUuid differs): its webhook URL reached the wrong sender", status_code=403)
    group = data.get("groupUuid")
    expected_group = connection.credentials.group_uuid
    if group and expected_group and str(group) != expected_group:
        raise WebhookRejected("the event is for another TheFork restaurant group than this connection's "
                              "(groupUuid differs)", status_code=403)


def dedup_key(body: bytes) -> str | None:
    try:
        data = _load(body)
    except MalformedWebhook:
        return None
    return f"thefork:{data['entityType']}:{data['uuid']}:{data['eventType']}"


def parse(body: bytes) -> list[InboundEvent]:
    data = _load(body)
    entity, uuid, event_type = data["entityType"], data["uuid"].strip(), data["eventType"]
    event_id = f"{entity}:{uuid}:{event_type}"
    if entity == "reservation" and event_type in RESERVATION_EVENTS:
        # Thin either way: the platform fetches the reservation (and its customer) and takes what is new.
        return [InboundEvent(kind=InboundEventKind.NEW_RESERVATION, event_id=event_id, channel_order_id=uuid)]
    if entity == "customer" and event_type in CUSTOMER_EVENTS:
        reason = ("a guest profile changed in TheFork's CRM: no reservation moves (each reservation's customer is "
                  "fetched with the reservation)")
    else:
        reason = f"TheFork {entity} event {event_type!r} is not handled"
    return [InboundEvent(kind=InboundEventKind.UNKNOWN, event_id=event_id, ignored_reason=reason)]
