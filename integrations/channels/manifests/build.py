"""A validated manifest turned into a ``ChannelModule`` subclass the platform cannot tell from a hand-written one.

The class has the same class attributes (features, credentials schema, status maps, rate limits, deadlines,
ignored fields, acknowledgement, base URLs, client class) and implements exactly the methods its declaration
needs; its ``__module__`` is a module object whose ``__file__`` is the manifest, so its corpus is
``corpus/`` beside the manifest, as for a package.
"""

from __future__ import annotations

import hashlib
import sys
import types
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, create_model

from canonical import CanonicalOrder, InboundEvent, OrderStatus, ServiceType
from integrations.channels.base import Acknowledgement, ChannelModule
from integrations.channels.context import ConnectionInfo
from integrations.channels.credentials import ChannelCredentials
from integrations.channels.features import OPTIONS_FOR, CatalogMode, Feature, Features, NotSupported, Supported
from integrations.channels.limits import CountsFrom, Deadline, LimitScope, RateLimit
from integrations.channels.statuses import StatusMap

from . import inbound
from .canonical_shape import without_nulls
from .hooks import load_hook
from .outbound import client_class
from .values import Scope, build_fields

LOADED_PACKAGE = "integrations.channels.manifests.loaded"


class ManifestModule(ChannelModule):
    """Base of every manifest module: the manifest it was built from, and reading its order mapping."""

    manifest: Mapping[str, Any] = {}
    manifest_path: Path | None = None

    @classmethod
    def read_order(cls, data: Any, restaurant_timezone: str = "UTC") -> CanonicalOrder:
        """The channel's order (a webhook body or a GET response) as a canonical order, by ``order``."""
        spec = cls.manifest["order"]
        scope = Scope(data, data, restaurant_timezone, facts=spec.get("facts") or {},
                      vocabularies=cls.manifest.get("vocabularies") or {}, money=spec.get("money") or {},
                      times=spec.get("times") or {})
        top: dict[str, Any] = {}
        scope.built[""] = top
        build_fields(spec["fields"], scope, "order", top)
        order = CanonicalOrder.model_validate(without_nulls(CanonicalOrder, top))
        if spec.get("hook"):  # a decision the mapping cannot take, named: the mapping did the rest
            order = load_hook(spec["hook"])(order, data)
        return order


def _verify_webhook(self: ManifestModule, connection: ConnectionInfo, body: bytes, headers: Mapping[str, str],
                    now: datetime) -> None:
    inbound.verify(self.manifest["webhook"]["auth"], connection, body, headers, now)


def _webhook_dedup_key(self: ManifestModule, connection: ConnectionInfo, body: bytes,
                       headers: Mapping[str, str]) -> str:
    key = inbound.WebhookReader(self.manifest, self.read_order).dedup_key(body)
    return key or ChannelModule.webhook_dedup_key(self, connection, body, headers)


def _parse_webhook(self: ManifestModule, connection: ConnectionInfo, body: bytes,
                   headers: Mapping[str, str]) -> list[InboundEvent]:
    return inbound.WebhookReader(self.manifest, self.read_order).parse(connection, body, self.to_canonical_status)


def credentials_class(class_name: str, fields: Mapping[str, Any]) -> type[ChannelCredentials]:
    declared: dict[str, Any] = {}
    for name, spec in fields.items():
        kind: Any = SecretStr if spec.get("secret", True) else str
        required = spec.get("required", True)
        declared[name] = ((kind, Field(description=spec.get("doc", ""))) if required
                          else (kind | None, Field(None, description=spec.get("doc", ""))))
    return create_model(class_name, __base__=ChannelCredentials, **declared)


def features_of(spec: Mapping[str, Any]) -> Features:
    declared = {}
    for feature in Feature:
        entry = spec[feature.value]
        if "not_supported" in entry:
            declared[feature.value] = NotSupported(entry["not_supported"].strip())
            continue
        options = None
        if "options" in entry:
            options = OPTIONS_FOR[feature](**{key: _option(key, value) for key, value in entry["options"].items()})
        declared[feature.value] = Supported(options=options, notes=(entry.get("notes") or "").strip())
    return Features(**declared)


def _option(key: str, value: Any) -> Any:
    if key == "mode":
        return CatalogMode(value)
    if key in ("statuses", "reason_required_for", "own_courier_only", "channel_courier_only") and isinstance(
            value, list):
        return frozenset(OrderStatus(item) for item in value)
    if key == "service_types":
        return frozenset(ServiceType(item) for item in value)
    if isinstance(value, list):
        return frozenset(value)
    return value


def status_map(spec: Mapping[str, Any]) -> StatusMap:
    return StatusMap(
        inbound={code: OrderStatus(status) for code, status in (spec.get("inbound") or {}).items()},
        outbound={OrderStatus(status): code for status, code in (spec.get("outbound") or {}).items()},
        informational=frozenset(spec.get("informational") or ()),
        inbound_by_service={ServiceType(service): {code: OrderStatus(s) for code, s in codes.items()}
                            for service, codes in (spec.get("inbound_by_service") or {}).items()},
        outbound_by_service={ServiceType(service): {OrderStatus(s): code for s, code in codes.items()}
                             for service, codes in (spec.get("outbound_by_service") or {}).items()},
    )


def _class_name(slug: str) -> str:
    return "".join(part.capitalize() for part in slug.replace("-", "_").split("_")) or "Manifest"


def _home(slug: str, path: Path | None) -> str:
    """A module object named for the manifest, whose ``__file__`` is the manifest (corpus lookup, reprs)."""
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:8]
    name = f"{LOADED_PACKAGE}.{slug}_{digest}"
    home = types.ModuleType(name, f"channel {slug!r} built from {path}")
    home.__file__ = str(path) if path else ""
    sys.modules[name] = home
    return name


def build_module(manifest: Mapping[str, Any], path: Path | None = None) -> type[ManifestModule]:
    """The module class of a manifest already validated (``validate.problems`` empty)."""
    slug = manifest["slug"]
    base = _class_name(slug)
    webhook = manifest.get("webhook")
    attributes: dict[str, Any] = {
        "__module__": _home(slug, path),
        "__doc__": f"{manifest['name']}, from its manifest {path or ''}",
        "manifest": manifest,
        "manifest_path": path,
        "slug": slug,
        "name": manifest["name"],
        "documentation": tuple(manifest.get("documentation") or ()),
        "features": features_of(manifest["features"]),
        "credentials": credentials_class(f"{base}Credentials", manifest.get("credentials") or {}),
        "order_statuses": status_map(manifest["statuses"]),
        "reservation_statuses": status_map(manifest["reservation_statuses"]) if manifest.get(
            "reservation_statuses") else None,
        "rate_limits": tuple(RateLimit(calls=r["calls"], per_seconds=r["per_seconds"],
                                       scope=LimitScope(r.get("scope", "connection")),
                                       operation=r.get("operation", "*")) for r in manifest.get("rate_limits") or ()),
        "deadlines": tuple(Deadline(status=OrderStatus(d["status"]), within=timedelta(seconds=d["within_seconds"]),
                                    consequence=d["consequence"], counts_from=CountsFrom(d.get("counts_from",
                                                                                              "placed_at")))
                           for d in manifest.get("deadlines") or ()),
        "default_base_urls": dict((manifest.get("api") or {}).get("base_urls") or {}),
        "ignored_fields": dict(manifest.get("ignored_fields") or {}),
        "known_gaps": dict(manifest.get("known_gaps") or {}),
        "client_class": client_class(f"{base}Client", manifest),
    }
    if webhook:
        auth = webhook["auth"]
        attributes.update(verify_webhook=_verify_webhook, webhook_dedup_key=_webhook_dedup_key,
                          parse_webhook=_parse_webhook, webhook_signs_body="hmac" in auth)
        if "hmac" in auth and (auth["hmac"].get("timestamp") or {}).get("tolerance_seconds"):
            attributes["webhook_tolerance"] = timedelta(seconds=auth["hmac"]["timestamp"]["tolerance_seconds"])
        if webhook.get("content_types"):
            attributes["webhook_content_types"] = tuple(webhook["content_types"])
        if webhook.get("acknowledgement"):
            ack = webhook["acknowledgement"]
            attributes["acknowledgement"] = Acknowledgement(
                status=ack.get("status", 200), body=(ack.get("body") or "").encode(),
                content_type=ack.get("content_type"), same_for_duplicates=ack.get("same_for_duplicates", True))
    return type(f"{base}ManifestModule", (ManifestModule,), attributes)
