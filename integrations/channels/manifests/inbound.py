"""Webhooks as a manifest says them: authentication, the dedup key, routing by event type, the canonical events.

``webhook.auth`` is a shared ``token`` (compared in constant time with a header) or an ``hmac`` recipe: the
header, the algorithm, the encoding, an optional prefix and the exact string signed (``signed``: ``{body}``,
``{timestamp}``, ``{header:Name}`` joined by literal text), with an optional timestamp and its tolerance: a header
signed through ``{timestamp}``, or a field of the signed body (``path``, unix or iso).
Every listed secret is tried, so secrets rotate without a gap.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from canonical import Cancellation, CanonicalOrder, InboundEvent, InboundEventKind
from integrations.channels.context import ConnectionInfo
from integrations.channels.errors import MalformedWebhook, UnmappedStatus, WebhookRejected
from integrations.channels.payloads import read_json
from integrations.channels.webhook_auth import require_fresh_timestamp, require_token

from .values import PLACEHOLDER, Scope, build_fields, evaluate, render, search

SIGNED_PARTS = ("body", "timestamp")


def secrets_of(connection: ConnectionInfo, names: list[str]) -> list[str]:
    found = []
    for name in names:
        value = getattr(connection.credentials, name, None)
        if value is not None:
            found.append(value.get_secret_value() if hasattr(value, "get_secret_value") else str(value))
    return [secret for secret in found if secret]


def signed_message(recipe: str, body: bytes, headers: Mapping[str, str]) -> bytes:
    """The exact bytes the channel signs, from the recipe (``{timestamp}.{body}``)."""
    message = b""
    position = 0
    for match in PLACEHOLDER.finditer(recipe):
        message += recipe[position:match.start()].encode()
        name = match.group(1)
        if name == "body":
            message += body
        elif name == "timestamp":
            message += (headers.get("__timestamp__") or "").encode()
        else:  # header:Name
            message += (headers.get(name.split(":", 1)[1]) or "").encode()
        position = match.end()
    return message + recipe[position:].encode()


def verify(auth: Mapping[str, Any], connection: ConnectionInfo, body: bytes, headers: Mapping[str, str],
           now: datetime) -> None:
    if "token" in auth:
        token = auth["token"]
        given = headers.get(token["header"])
        if given and token.get("scheme"):
            scheme = token["scheme"] + " "
            given = given[len(scheme):] if given.startswith(scheme) else ""
        require_token(secrets_of(connection, token["secrets"]), given, header=token["header"])
        return
    recipe = auth["hmac"]
    stamp = recipe.get("timestamp")
    stamped = dict(headers.items())
    if stamp and "header" in stamp:
        raw = headers.get(stamp["header"])
        require_fresh_timestamp(raw, now, timedelta(seconds=stamp.get("tolerance_seconds", 300)),
                                header=stamp["header"])
        stamped["__timestamp__"] = raw.strip()
    signature = headers.get(recipe["header"])
    if not signature:
        raise WebhookRejected(f"missing {recipe['header']}")
    prefix = recipe.get("prefix", "")
    given = signature.strip()
    if prefix:
        given = given[len(prefix):] if given.startswith(prefix) else ""
    candidates = secrets_of(connection, recipe["secrets"])
    if not candidates:
        raise WebhookRejected("the connection has no webhook secret configured", status_code=403)
    message = signed_message(recipe.get("signed", "{body}"), body, stamped)
    algorithm = recipe.get("algorithm", "sha256")
    for secret in candidates:
        digest = hmac.new(secret.encode(), message, getattr(hashlib, algorithm)).digest()
        expected = digest.hex() if recipe.get("encoding", "hex") == "hex" else base64.b64encode(digest).decode()
        compared = given.lower() if recipe.get("encoding", "hex") == "hex" else given
        if hmac.compare_digest(expected, compared):
            if stamp and "path" in stamp:
                _require_fresh_body_time(stamp, body, now)
            return
    raise WebhookRejected(f"{recipe['header']} does not match the body")


def _require_fresh_body_time(stamp: Mapping[str, Any], body: bytes, now: datetime) -> None:
    """The signed body's own time (Uber's ``event_time``, Wolt's ``created_at``) within the tolerance."""
    try:
        data = json.loads(body)
    except ValueError:
        return  # authentic but unreadable: parse_webhook reports it as malformed
    raw = search(stamp["path"], data)
    if raw is None or raw == "":
        raise WebhookRejected(f"{stamp['path']} is missing from the signed body")
    tolerance = timedelta(seconds=stamp.get("tolerance_seconds", 300))
    if stamp.get("format", "unix") == "unix":
        require_fresh_timestamp(str(raw), now, tolerance, header=stamp["path"])
        return
    try:
        sent = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise WebhookRejected(f"{stamp['path']} is not an ISO-8601 instant") from None
    if sent.tzinfo is None or abs(now - sent) > tolerance:
        raise WebhookRejected(f"{stamp['path']} is outside the {int(tolerance.total_seconds())} s tolerance (replay?)")


class WebhookReader:
    """Reads one manifest's webhooks; the module calls it (``build.py``)."""

    def __init__(self, manifest: Mapping[str, Any], order_reader: Any) -> None:
        self.webhook = manifest["webhook"]
        self.vocabularies = manifest.get("vocabularies") or {}
        self.order_reader = order_reader

    def event_type(self, data: Any) -> str:
        rule = self.webhook.get("event_type") or {}
        if "by_key" in rule:  # presence of a key tells the kind: asking reads nothing
            return next((kind for key, kind in rule["by_key"].items() if isinstance(data, dict) and key in data),
                        "unknown")
        if "path" in rule:
            found = search(rule["path"], data)
            return str(found) if found is not None else "unknown"
        return "any"

    def items(self, data: Any) -> list[Any]:
        """The payload's events: the body itself, or each item of ``webhook.each`` (several orders in one POST)."""
        if "each" not in self.webhook:
            return [data]
        items = search(self.webhook["each"], data)
        if not isinstance(items, list) or not items:
            raise ValueError(f"{self.webhook['each']!r} is not a list of events")
        return items

    def dedup_key(self, body: bytes) -> str | None:
        try:
            data = read_json(body)
            types = [self.event_type(item) for item in self.items(data)]
            scope = Scope(data, data, variables={"type": ",".join(types)})
            return render(self.webhook["dedup_key"], scope)[:200]
        except (ValueError, KeyError, TypeError):
            return None

    def parse(self, connection: ConnectionInfo, body: bytes, to_canonical_status: Any) -> list[InboundEvent]:
        try:
            data = read_json(body)
            items = self.items(data)
        except (ValueError, TypeError) as exc:
            raise MalformedWebhook(f"not a webhook this channel sends: {exc}") from None
        events = []
        for item in items:
            kind = self.event_type(item)
            route = self.webhook["events"].get(kind)
            try:
                events.append(self._event(route, kind, item, connection, to_canonical_status))
            except (KeyError, TypeError, ValueError, ValidationError, UnmappedStatus) as exc:
                raise MalformedWebhook(f"{kind} event: {exc}") from None
        return events

    def _event(self, route: Mapping[str, Any] | None, kind: str, item: Any, connection: ConnectionInfo,
               to_canonical_status: Any) -> InboundEvent:
        scope = Scope(item, item, connection.timezone, vocabularies=self.vocabularies, variables={"type": kind})
        unknown = self.webhook.get("unknown") or {}
        if route is None:
            event_id = render(unknown.get("event_id") or self.webhook["dedup_key"], scope)
            return InboundEvent(kind=InboundEventKind.UNKNOWN, event_id=event_id,
                                ignored_reason=unknown.get("reason") or f"event type {kind!r} is not handled")
        order: CanonicalOrder | None = None
        if route.get("order"):
            order = self.order_reader(item, connection.timezone)
        fields: dict[str, Any] = {"kind": route["kind"], "event_id": render(route["event_id"], scope)}
        if order is not None:
            fields.update(order=order, channel_order_id=order.channel_order_id, occurred_at=order.placed_at)
        for name in ("channel_order_id", "occurred_at"):
            if name in route:
                fields[name] = evaluate(route[name], scope, name)
        if "channel_status" in route:
            code = str(evaluate(route["channel_status"], scope, "channel_status"))
            fields["channel_status"] = code
            fields["status"] = to_canonical_status(code)
        if "cancellation" in route:
            fields["cancellation"] = Cancellation.model_validate(
                build_fields(route["cancellation"], scope, "cancellation"))
        if "courier" in route:
            fields["courier"] = build_fields(route["courier"], scope, "courier")
        return InboundEvent.model_validate(fields)
