"""The JSON Schema of a channel manifest (draft 2020-12): the shape; ``validate.py`` checks the meaning.

docs/manifests.md is the reference in words. Every mapping refuses unknown keys, so a misspelt key is an
error on its line rather than a setting silently ignored.
"""

from __future__ import annotations

from typing import Any

from canonical import OrderStatus, ServiceType
from integrations.channels.features import OPTIONS_FOR, Feature

STATUSES = sorted(status.value for status in OrderStatus)
SERVICE_TYPES = sorted(service.value for service in ServiceType)
EVENT_KINDS = ["new_order", "new_reservation", "status_changed", "courier_update"]
OPERATION_NAMES = ["get_order", "get_order_status", "publish_catalog", "get_publish_result", "update_catalog_items",
                   "set_order_status", "update_delivery_location", "pause", "resume"]
HOOK = {"type": "string", "pattern": r"^integrations\.channels\.[A-Za-z0-9_.]+:[A-Za-z_][A-Za-z0-9_]*$"}
TEXT = {"type": "string", "minLength": 1}


def _strict(properties: dict[str, Any], required: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "additionalProperties": False,
            **({"required": required} if required else {}), **extra}


VALUE_KEYS = {
    "path": {"type": "string"}, "value": {}, "fact": {"type": "string"}, "ref": {"type": "string"},
    "money": {"$ref": "#/$defs/value"}, "time": {"$ref": "#/$defs/value"},
    "first": {"type": "array", "items": {"$ref": "#/$defs/value"}, "minItems": 1},
    "sum": {"type": "array", "items": {"$ref": "#/$defs/value"}, "minItems": 1},
    "minus": {"type": "array", "items": {"$ref": "#/$defs/value"}},
    "join": {"type": "array", "items": {"$ref": "#/$defs/value"}, "minItems": 1},
    "separator": {"type": "string"}, "template": {"type": "string"},
    "each": {"type": "string"}, "item": {"$ref": "#/$defs/value"},
    "fields": {"$ref": "#/$defs/fields"},
    "when": {"$ref": "#/$defs/condition"}, "otherwise": {},
    "null_if": {"type": "array"}, "map": {"oneOf": [{"type": "string"}, {"type": "object"}]},
    "as": {"enum": ["str", "int", "bool", "decimal", "percent"]}, "default": {}, "required": {"type": "boolean"},
    "unit": {"enum": ["minor", "major"]}, "currency": {"$ref": "#/$defs/value"},
    "format": {"type": "string"}, "zone": {"$ref": "#/$defs/zone"},
}


def _feature(feature: Feature) -> dict[str, Any]:
    options = {name: {} for name in OPTIONS_FOR[feature].__dataclass_fields__}
    return {"oneOf": [
        _strict({"not_supported": TEXT}, ["not_supported"]),
        _strict({"options": _strict(options), "notes": {"type": "string"}}),
    ]}


SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Sinqro channel manifest",
    "$defs": {
        "value": {"oneOf": [{"type": "string"}, {"type": ["number", "boolean", "null"]},
                            _strict(VALUE_KEYS)]},
        "fields": {"type": "object", "additionalProperties": {"oneOf": [
            {"$ref": "#/$defs/value"}, {"type": "array", "items": {"$ref": "#/$defs/value"}}]}},
        "condition": {"oneOf": [
            {"type": "string"}, {"type": "boolean"},
            _strict({"fact": {"type": "string"}}, ["fact"]),
            _strict({"not": {"$ref": "#/$defs/condition"}}, ["not"]),
            _strict({"all": {"type": "array", "items": {"$ref": "#/$defs/condition"}}}, ["all"]),
            _strict({"any": {"type": "array", "items": {"$ref": "#/$defs/condition"}}}, ["any"]),
        ]},
        "zone": {"oneOf": [{"type": "string"},
                           _strict({"offset_minutes": {"$ref": "#/$defs/value"}, "otherwise": {"type": "string"}},
                                   ["offset_minutes"])]},
        "status_codes": {"type": "object", "additionalProperties": {"enum": STATUSES}},
        "statuses": _strict({
            "inbound": {"$ref": "#/$defs/status_codes"},
            "outbound": {"type": "object", "propertyNames": {"enum": STATUSES}, "additionalProperties": TEXT},
            "informational": {"type": "array", "items": {"type": "string"}},
            "inbound_by_service": {"type": "object", "propertyNames": {"enum": SERVICE_TYPES},
                                   "additionalProperties": {"$ref": "#/$defs/status_codes"}},
            "outbound_by_service": {"type": "object", "propertyNames": {"enum": SERVICE_TYPES},
                                    "additionalProperties": {"type": "object", "propertyNames": {"enum": STATUSES},
                                                             "additionalProperties": TEXT}},
        }, ["inbound"]),
        "credential": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"},
        "request": _strict({
            "method": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE"]}, "url": {"type": "string"},
            "body": {}, "requires": {"type": "object", "additionalProperties": TEXT},
            "operation": {"type": "string"},
        }, ["method", "url"]),
        "operation": _strict({
            "method": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE"]}, "url": {"type": "string"},
            "body": {}, "requires": {"type": "object", "additionalProperties": TEXT},
            "operation": {"type": "string"}, "hook": HOOK,
            # set_order_status: a request per canonical status (accept, reject, ready... each its own call)
            "by_status": {"type": "object", "propertyNames": {"enum": STATUSES},
                          "additionalProperties": {"$ref": "#/$defs/request"}},
            "document": _strict({"hook": HOOK, "name": TEXT, "ttl_hours": {"type": "number", "exclusiveMinimum": 0},
                                 "bearer_credential": {"$ref": "#/$defs/credential"}}, ["hook", "name"]),
            "response": {"type": "object", "additionalProperties": {"$ref": "#/$defs/value"}},
        }, oneOf=[{"required": ["hook"]}, {"required": ["method", "url"]}, {"required": ["by_status"]}]),
    },
    **_strict({
        "manifest_version": {"const": 1},
        "slug": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"},
        "name": TEXT,
        "documentation": {"type": "array", "items": TEXT, "minItems": 1},
        "credentials": {"type": "object", "propertyNames": {"$ref": "#/$defs/credential"}, "additionalProperties":
                        _strict({"secret": {"type": "boolean"}, "required": {"type": "boolean"},
                                 "doc": {"type": "string"}})},
        "features": _strict({feature.value: _feature(feature) for feature in Feature},
                            [feature.value for feature in Feature]),
        "statuses": {"$ref": "#/$defs/statuses"},
        "reservation_statuses": {"$ref": "#/$defs/statuses"},
        "rate_limits": {"type": "array", "items": _strict({
            "calls": {"type": "integer", "minimum": 1}, "per_seconds": {"type": "number", "exclusiveMinimum": 0},
            "scope": {"enum": ["channel", "connection", "order"]}, "operation": {"type": "string"}},
            ["calls", "per_seconds"])},
        "deadlines": {"type": "array", "items": _strict({
            "status": {"enum": STATUSES}, "within_seconds": {"type": "number"}, "consequence": TEXT,
            "counts_from": {"enum": ["placed_at", "confirm_by", "scheduled_for"]}},
            ["status", "within_seconds", "consequence"])},
        "vocabularies": {"type": "object", "additionalProperties": {"type": "object"}},
        "ignored_fields": {"type": "object", "additionalProperties": TEXT},
        "known_gaps": {"type": "object", "additionalProperties": TEXT},
        "webhook": _strict({
            "content_types": {"type": "array", "items": TEXT},
            "auth": {"oneOf": [
                _strict({"token": _strict({"header": TEXT, "scheme": {"type": "string"},
                                           "secrets": {"type": "array", "items": {"$ref": "#/$defs/credential"},
                                                       "minItems": 1}}, ["header", "secrets"])}, ["token"]),
                _strict({"hmac": _strict({
                    "header": TEXT, "algorithm": {"enum": ["sha1", "sha256", "sha512"]},
                    "encoding": {"enum": ["hex", "base64"]}, "prefix": {"type": "string"}, "signed": TEXT,
                    "secrets": {"type": "array", "items": {"$ref": "#/$defs/credential"}, "minItems": 1},
                    # Unix seconds in a header (signed through {timestamp}), or a field of the signed body
                    # (path, format unix or iso: Uber's event_time, Wolt's created_at)
                    "timestamp": {"oneOf": [
                        _strict({"header": TEXT, "tolerance_seconds": {"type": "number", "exclusiveMinimum": 0}},
                                ["header"]),
                        _strict({"path": TEXT, "format": {"enum": ["unix", "iso"]},
                                 "tolerance_seconds": {"type": "number", "exclusiveMinimum": 0}}, ["path"]),
                    ]},
                }, ["header", "algorithm", "encoding", "signed", "secrets"])}, ["hmac"]),
            ]},
            "each": {"type": "string"},
            "event_type": {"oneOf": [_strict({"path": {"type": "string"}}, ["path"]),
                                     _strict({"by_key": {"type": "object", "additionalProperties": TEXT}},
                                             ["by_key"])]},
            "dedup_key": TEXT,
            "events": {"type": "object", "additionalProperties": _strict({
                "kind": {"enum": EVENT_KINDS}, "event_id": TEXT, "order": {"const": "order"},
                "channel_order_id": {"$ref": "#/$defs/value"}, "occurred_at": {"$ref": "#/$defs/value"},
                "channel_status": {"$ref": "#/$defs/value"}, "cancellation": {"$ref": "#/$defs/fields"},
                "courier": {"$ref": "#/$defs/fields"}}, ["kind", "event_id"])},
            "unknown": _strict({"event_id": TEXT, "reason": TEXT}),
            "acknowledgement": _strict({"status": {"type": "integer", "minimum": 200, "maximum": 299},
                                        "body": {"type": "string"}, "content_type": {"type": "string"},
                                        "same_for_duplicates": {"type": "boolean"}}),
        }, ["auth", "dedup_key", "events"]),
        "order": _strict({
            "money": _strict({"unit": {"enum": ["minor", "major"]}, "currency": {"$ref": "#/$defs/value"}},
                             ["currency"]),
            "times": _strict({"format": TEXT, "zone": {"$ref": "#/$defs/zone"}}),
            "facts": {"type": "object", "additionalProperties": {"$ref": "#/$defs/value"}},
            "fields": {"$ref": "#/$defs/fields"},
            # function(order: CanonicalOrder, payload) -> CanonicalOrder, after the mapping
            "hook": HOOK,
        }, ["money", "fields"]),
        "api": _strict({
            "base_urls": _strict({"sandbox": TEXT, "production": TEXT}),
            "path_prefix": {"type": "string"}, "headers": {"type": "object", "additionalProperties": TEXT},
            "auth": {"oneOf": [
                _strict({"static_token": _strict({"credential": {"$ref": "#/$defs/credential"}, "header": TEXT,
                                                  "scheme": TEXT}, ["credential"])}, ["static_token"]),
                _strict({"bearer": _strict({"credential": {"$ref": "#/$defs/credential"}}, ["credential"])},
                        ["bearer"]),
                _strict({"api_key_header": _strict({"credential": {"$ref": "#/$defs/credential"}, "header": TEXT},
                                                   ["credential", "header"])}, ["api_key_header"]),
                _strict({"basic": _strict({"username": {"$ref": "#/$defs/credential"},
                                           "password": {"$ref": "#/$defs/credential"}}, ["username", "password"])},
                        ["basic"]),
                _strict({"oauth2_client_credentials": _strict({
                    "token_url": TEXT, "client_id": {"$ref": "#/$defs/credential"},
                    "client_secret": {"$ref": "#/$defs/credential"}, "scope": {"type": "string"},
                    "client_auth": {"enum": ["body", "basic"]},
                    "extra_params": {"type": "object", "additionalProperties": {"type": "string"}}},
                    ["token_url", "client_id", "client_secret"])},
                    ["oauth2_client_credentials"]),
            ]},
        }, ["base_urls"]),
        "operations": {"type": "object", "propertyNames": {"enum": OPERATION_NAMES},
                       "additionalProperties": {"$ref": "#/$defs/operation"}},
    }, ["manifest_version", "slug", "name", "documentation", "credentials", "features", "statuses"]),
}
