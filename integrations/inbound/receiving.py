"""The webhook hot path: check, store the raw request, answer. Nothing here waits for a channel or a worker.

At most two queries on the way to the answer: the connection (with its channel and
restaurant, by token) and the insert of the ``WebhookEvent``. A duplicate costs
one more (reading the held row's id and state), and a redelivery of an event that
failed one more again (taking it back, ``redelivery``). ``Connection.last_webhook_at``
is updated by the worker, not here, to keep it at two.

The answer to a webhook we took is the module's declared ``acknowledgement``
(Uber: 200, empty), read from the cached module: no query, no work per request.
A module that declares none gets the platform's JSON (202 ``accepted``, a
duplicate 200 ``duplicate``). Rejections always carry our JSON reason.

The connection lookup is the costliest part of the request (the ORM builds a
three-table query: ~1.5 ms of CPU, as much as everything else together, see
``bench/ingest.py``), so each web process keeps what it found by token (with
the module and the decrypted, validated settings) for
``WEBHOOK_CONNECTION_CACHE_SECONDS`` (default 5; 0 turns it off). Only enabled,
well-configured connections are kept: a disabled one is looked up each time. A saved or
deleted connection, channel or restaurant empties the cache of the process
that saved it at once; other processes see the change within that time.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone

from integrations.channels.base import Acknowledgement, ChannelModule
from integrations.channels.context import ConnectionInfo
from integrations.channels.errors import WebhookRejected
from integrations.channels.registry import UnknownChannelModule
from integrations.connections import InvalidCredentials, connection_info, module_for
from integrations.models import Channel, Connection, WebhookEvent
from restaurants.models import Restaurant

from .headers import relevant_headers, remote_addr
from .queueing import wake_drain
from .redelivery import held_event
from .rejections import record_rejection
from .storing import NewEvent, Stored, insert_event

logger = logging.getLogger(__name__)

TOKEN_MAX_LENGTH = 64
TOKEN_ALPHABET = re.compile(r"[A-Za-z0-9_-]+")
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # PostgreSQL text refuses NUL; UTF-8 cannot encode a lone surrogate
DEDUP_KEY_MAX_LENGTH = 200


@dataclass(frozen=True)
class Reply:
    """What the endpoint answers: a status code and a JSON body, or the channel's own acknowledgement."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)
    acknowledgement: Acknowledgement | None = None


@dataclass(frozen=True)
class Taken:
    """What storing a webhook did: stored it new, took a failed event again, or found it held (a duplicate)."""

    event_id: int
    new: bool = False
    again: bool = False

    @property
    def duplicate(self) -> bool:
        return not (self.new or self.again)


def error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"error": {"code": code, "message": message}})


def receive(request: HttpRequest, token: str) -> Reply:
    """Check a webhook request in order (who, size, type, signature), store it, answer at once."""
    found = _receiver(token)
    if isinstance(found, Reply):
        return found
    connection, module, info = found

    limit: int = settings.WEBHOOK_MAX_BODY_BYTES
    declared = _content_length(request)
    if declared is not None and declared > limit:
        return _refuse(connection, request, b"", 413, "payload_too_large", f"the body is over {limit} bytes")
    body = _read_body(request, declared, limit + 1)
    if len(body) > limit:
        return _refuse(connection, request, body, 413, "payload_too_large", f"the body is over {limit} bytes")
    if not _accepted_type(request.content_type, module):
        allowed = ", ".join(module.webhook_content_types)
        message = f"content type {request.content_type or '(none)'!r} is not accepted; send {allowed}"
        return _refuse(connection, request, body, 415, "unsupported_media_type", message)
    try:
        module.verify_webhook(info, body, request.headers, timezone.now())
    except WebhookRejected as exc:
        status = exc.status_code if exc.status_code in (401, 403) else 401
        return _refuse(connection, request, body, status, "webhook_rejected", exc.reason)
    except Exception:
        # A module bug on odd input must not become a 500 (and must not let the request through).
        logger.exception("verify_webhook of %s raised unexpectedly", module.slug)
        return _refuse(connection, request, body, 401, "webhook_rejected", "the request could not be verified")

    held = not (connection.enabled and connection.channel.enabled)
    return acknowledge(module, store(connection, module, info, body, request, held=held))


def acknowledge(module: ChannelModule, taken: Taken) -> Reply:
    """The answer for a webhook we hold: the module's declared acknowledgement, else the platform's JSON.

    A redelivery of an event that failed is taken again and answered as a new one; a duplicate gets the
    same answer too unless the module declares otherwise.
    """
    declared = module.acknowledgement
    if declared is not None and (not taken.duplicate or declared.same_for_duplicates):
        return Reply(declared.status, acknowledgement=declared)
    if taken.duplicate:
        return Reply(200, {"event_id": taken.event_id, "status": "duplicate"})
    return Reply(202, {"event_id": taken.event_id, "status": "accepted"})


def store(
    connection: Connection,
    module: ChannelModule,
    info: ConnectionInfo,
    body: bytes,
    request: HttpRequest,
    *,
    held: bool = False,
) -> Taken:
    """Insert the event (one query); on a duplicate dedup key, the held row instead (taken again if it failed).

    ``held``: the connection is disabled; the event waits, unprocessed, until it is enabled again.
    """
    dedup_key = _dedup_key(module, info, body, request)
    new = NewEvent(
        connection_id=connection.pk,
        dedup_key=dedup_key,
        method=(request.method or "POST")[:8],
        headers=relevant_headers(request.headers),
        body=body,
        remote_addr=remote_addr(request.META),
        state=WebhookEvent.State.HELD if held else WebhookEvent.State.RECEIVED,
    )
    try:
        stored = _insert(new)
    except IntegrityError:
        held = held_event(connection.pk, dedup_key)
        if held is None:  # not the dedup constraint: a real error
            raise
        if not held.taken_again:
            return Taken(held.event_id)
        transaction.on_commit(partial(announce_stored, held.event_id))
        return Taken(held.event_id, again=True)
    # Runs at once in autocommit (the row is committed); after the caller's commit inside a transaction.
    if not held:
        transaction.on_commit(partial(announce_stored, stored.pk))
    return Taken(stored.pk, new=True)


def _insert(new: NewEvent) -> Stored:
    # In autocommit the INSERT is its own transaction: one round trip. Inside a caller's
    # transaction (tests, replays) a savepoint keeps a duplicate from breaking it.
    if transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return insert_event(new)
    return insert_event(new)


def announce_stored(event_id: int) -> None:
    """A new event is committed: wake a drain (at most one publish for many requests, see ``queueing``)."""
    wake_drain()


CONNECTION_CACHE_MAX_ENTRIES = 1000
Receiver = tuple[Connection, ChannelModule, ConnectionInfo]
_receivers_by_token: dict[str, tuple[float, Receiver]] = {}
_clock = time.monotonic


def _receiver(token: str) -> Receiver | Reply:
    """The connection behind a webhook URL with its module and decrypted settings, or the error to answer."""
    if not token or len(token) > TOKEN_MAX_LENGTH or not TOKEN_ALPHABET.fullmatch(token):
        # our tokens are URL-safe base64: anything else (a NUL, a surrogate) names no connection
        return error(404, "unknown_webhook", "no connection receives webhooks at this URL")
    ttl: float = getattr(settings, "WEBHOOK_CONNECTION_CACHE_SECONDS", 5.0)
    now = _clock()
    cached = _receivers_by_token.get(token)
    if cached is not None and cached[0] > now:
        return cached[1]
    connection = Connection.objects.select_related("channel", "restaurant").filter(webhook_token=token).first()
    if connection is None:  # unknown tokens are not kept: a flood of them must not grow the cache
        return error(404, "unknown_webhook", "no connection receives webhooks at this URL")
    # A disabled connection still takes what its channel sends (authenticated, stored as held, answered as
    # usual so the channel does not give up): processed when staff enable it again, or discarded by them.
    try:
        receiver = (connection, module_for(connection), connection_info(connection))
    except (UnknownChannelModule, InvalidCredentials) as exc:
        # Our configuration, not the sender's fault: a 5xx makes the channel retry after we fix it.
        logger.error("webhook for connection %s cannot be checked: %s", connection.pk, exc)
        return error(503, "connection_misconfigured", "this connection is not ready to receive webhooks; retry later")
    if ttl > 0:
        if len(_receivers_by_token) >= CONNECTION_CACHE_MAX_ENTRIES:
            _receivers_by_token.clear()
        _receivers_by_token[token] = (now + ttl, receiver)
    return receiver


def forget_connections(**kwargs: Any) -> None:
    """Drop this process's cached connections (a connection, its channel or restaurant changed)."""
    _receivers_by_token.clear()


for _model in (Connection, Channel, Restaurant):
    post_save.connect(forget_connections, sender=_model, dispatch_uid=f"webhook-connections-{_model.__name__}")
    post_delete.connect(forget_connections, sender=_model, dispatch_uid=f"webhook-connections-del-{_model.__name__}")


def _read_body(request: HttpRequest, declared: int | None, most: int) -> bytes:
    """At most ``most`` bytes of the body, a chunked one included.

    A chunked request has no Content-Length, so Django reads it as empty; the
    WSGI server (gunicorn) hands over the de-chunked stream, read here directly.
    """
    if declared is None and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        stream = request.META.get("wsgi.input")
        return stream.read(most) if stream is not None else b""
    return request.read(most)


def _content_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def _accepted_type(content_type: str | None, module: ChannelModule) -> bool:
    return (content_type or "").strip().lower() in {kind.lower() for kind in module.webhook_content_types}


def _dedup_key(module: ChannelModule, info: ConnectionInfo, body: bytes, request: HttpRequest) -> str:
    try:
        key = module.webhook_dedup_key(info, body, request.headers)
    except Exception:
        logger.exception("webhook_dedup_key of %s raised; falling back to the body hash", module.slug)
        key = ""
    if not key:
        return "sha256:" + hashlib.sha256(body).hexdigest()
    if len(key) > DEDUP_KEY_MAX_LENGTH or UNSTORABLE.search(key):
        # the same key always gives the same digest, so duplicates are still found; the body keeps the original
        return "sha256-key:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return key


def _refuse(connection: Connection, request: HttpRequest, body: bytes, status: int, code: str, message: str) -> Reply:
    record_rejection(
        connection,
        status_code=status,
        reason=message,
        headers=request.headers,
        body=body,
        remote_addr=remote_addr(request.META),
    )
    return error(status, code, message)
