"""Storing a webhook event in one statement: the hot path's insert, without the ORM's per-call work.

On PostgreSQL the ``INSERT`` is written once per process from the model's own
fields and sent with server-side parameters (the extended protocol: the body
is not quoted into the SQL in Python), and no model instance is built. It is
not a named prepared statement (Django leaves psycopg's ``prepare_threshold``
off), so PgBouncer in transaction pooling is fine. Values still go through each field's
``get_db_prep_save``, the ORM's own conversion: constant defaults once per
process, callable defaults and the request's values on every insert. What is
stored is what ``save()`` would store (``tests/inbound/test_storing.py`` holds
them equal). Elsewhere (SQLite) it is ``save()``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.db import connections
from django.db.models import Field

from integrations.models import WebhookEvent


@dataclass(frozen=True)
class NewEvent:
    """What the request gives; every other column takes its model default."""

    connection_id: int
    dedup_key: str
    method: str
    headers: dict[str, str]
    body: bytes
    remote_addr: str | None
    state: str = WebhookEvent.State.RECEIVED  # held while the connection is disabled


@dataclass(frozen=True)
class Stored:
    pk: int
    correlation_id: str
    received_at: datetime


GIVEN = tuple(f.name for f in dataclasses.fields(NewEvent))  # the request's values, by name
# Sent as text for PostgreSQL to parse: the ORM would parse the address again in Python (``ip_address``),
# a twentieth of the request's CPU; ``headers.remote_addr`` has already checked it is one.
AS_TEXT = frozenset({"remote_addr"})


@dataclass(frozen=True)
class _Plan:
    sql: str
    fields: tuple[Field, ...]
    constants: dict[str, Any]  # attname -> prepared value of a constant default


@cache
def _plan(alias: str) -> _Plan:
    connection = connections[alias]
    meta = WebhookEvent._meta
    fields = tuple(f for f in meta.concrete_fields if not f.primary_key)
    constants = {}
    for f in fields:
        if f.attname in GIVEN or (f.has_default() and callable(f.default)):
            continue
        constants[f.attname] = f.get_db_prep_save(f.get_default(), connection)  # the ORM's rule ("" or None)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    # Names from the model's own metadata, quoted; every value is a parameter.
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values}) RETURNING {quote(meta.pk.column)}"  # noqa: S608
    return _Plan(sql, fields, constants)


def insert_event(new: NewEvent) -> Stored:
    """INSERT one received event; raises ``django.db.IntegrityError`` on a duplicate, as ``save()`` does."""
    alias = WebhookEvent.objects.db
    connection = connections[alias]
    if connection.vendor != "postgresql":
        event = WebhookEvent(**{name: getattr(new, name) for name in GIVEN})
        event.save(force_insert=True)
        return Stored(event.pk, event.correlation_id, event.received_at)
    import psycopg

    plan = _plan(alias)
    generated: dict[str, Any] = {}
    params = []
    for f in plan.fields:
        name = f.attname
        if name in plan.constants:
            params.append(plan.constants[name])
            continue
        value = getattr(new, name) if name in GIVEN else f.get_default()
        if name not in GIVEN:
            generated[name] = value
        params.append(value if name in AS_TEXT else f.get_db_prep_save(value, connection))
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)  # server-side binding (Django's own cursors bind client-side)
    cursor = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    with cursor:
        cursor.execute(plan.sql, params)
        pk = cursor.fetchone()[0]
    return Stored(pk, generated["correlation_id"], generated["received_at"])
