"""Every problem of a manifest, each with its line and what to fix: the schema first, then the meaning.

The meaning: expressions that compile, exactly one source per value, facts / vocabularies / references that
exist, canonical fields that exist where they are written, statuses the channel reports that the status map
knows, credentials that are declared (and secret where they sign), an HMAC recipe that signs the body (and the
timestamp it checks), hooks that import, operations for every supported feature and a webhook section for the
webhook features; last, the built module through ``checks.check_module``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jmespath
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from pydantic import BaseModel

from canonical import Cancellation, CanonicalOrder, CourierUpdate
from integrations.channels.checks import check_module
from integrations.channels.features import Feature

from .canonical_shape import nested_model
from .expressions import expressions
from .hooks import HookNotFound, load_hook
from .inbound import SIGNED_PARTS
from .problems import Problem
from .schema import SCHEMA, SERVICE_TYPES, STATUSES
from .values import MODIFIERS, PLACEHOLDER, SOURCES
from .yaml_lines import LinedDocument

VALIDATOR = Draft202012Validator(SCHEMA)
FEATURE_NEEDS = {
    Feature.GET_ORDER: ("get_order",), Feature.GET_STATUS: ("get_order_status",),
    Feature.POST_STATUS: ("set_order_status",), Feature.POST_DELIVERY_LOCATION: ("update_delivery_location",),
}


def dotted(path: Any) -> str:
    return ".".join(str(part) for part in path) or "(the top level)"


def schema_problems(document: LinedDocument) -> list[Problem]:
    problems = []
    for error in sorted(VALIDATOR.iter_errors(document.data), key=lambda e: tuple(map(str, e.absolute_path))):
        detail = _deepest(error)
        where = tuple(detail.absolute_path)
        if detail.validator == "additionalProperties" and isinstance(detail.instance, dict):
            allowed = set((detail.schema.get("properties") or {}).keys())
            where = (*where, next((key for key in detail.instance if key not in allowed), ""))
        problems.append(Problem(document.line_of(where), f"{dotted(where)}: {_message(detail)}", _fix(detail)))
    return problems


def _deepest(error: ValidationError) -> ValidationError:
    """The error to show: inside a oneOf, the branch whose required keys the mapping has (``hmac:`` is the
    HMAC branch, not the token one), else jsonschema's best match."""
    while error.context:
        chosen = None
        if error.validator == "oneOf" and isinstance(error.instance, dict):
            for index, branch in enumerate(error.validator_value):
                required = branch.get("required") if isinstance(branch, dict) else None
                if required and set(required) <= set(error.instance):
                    inside = [e for e in error.context if e.relative_schema_path and e.relative_schema_path[0] == index]
                    chosen = best_match(inside) if inside else None
                    break
        error = chosen or best_match(error.context)
    return error


def _message(error: ValidationError) -> str:
    if error.validator == "additionalProperties":
        allowed = sorted((error.schema.get("properties") or {}).keys())
        extra = sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        hints = [f"{key!r} (did you mean {close[0]!r}?)" if (close := difflib.get_close_matches(key, allowed, 1))
                 else repr(key) for key in extra]
        return f"unknown key {', '.join(hints)}; allowed here: {', '.join(allowed)}"
    if error.validator == "enum":
        return f"{error.instance!r} is not one of: {', '.join(map(str, error.validator_value))}"
    if error.validator == "required":
        return error.message.replace("is a required property", "is required here")
    return error.message


def _fix(error: ValidationError) -> str:
    path = [str(part) for part in error.absolute_path]
    if "statuses" in path or "status" in path:
        return "use a canonical status (canonical.OrderStatus)"
    if "features" in path:
        return "declare the feature with options/notes, or not_supported: \"why\""
    return "see docs/manifests.md for this section"


def problems_of(document: LinedDocument, path: Path | None = None) -> list[Problem]:
    problems = schema_problems(document)
    if problems:
        return problems
    manifest = document.data
    found = list(_meaning(manifest, document))
    if found:
        return found
    from .build import build_module  # built only once the meaning is sound

    try:
        module = build_module(manifest, path)
    except (ValueError, TypeError, KeyError) as exc:
        return [Problem(document.line_of(()), f"the manifest cannot be built: {exc}")]
    return [Problem(_feature_line(document, text), text, "declare the operation, or the feature not_supported")
            for text in check_module(module)]


def _feature_line(document: LinedDocument, text: str) -> int | None:
    for feature in Feature:
        if text.startswith(feature.value):
            return document.line_of(("features", feature.value))
    return document.line_of(())


def _meaning(manifest: Mapping[str, Any], document: LinedDocument) -> Iterator[Problem]:
    def at(*path: Any) -> int | None:
        return document.line_of(path)

    facts = set((manifest.get("order") or {}).get("facts") or {})
    vocabularies = set(manifest.get("vocabularies") or {})
    credentials = manifest.get("credentials") or {}
    for expression in expressions(manifest):
        try:
            jmespath.compile(expression.text)
        except jmespath.exceptions.JMESPathError as exc:
            yield Problem(at(*expression.where), f"{expression.text!r} is not a JMESPath expression: "
                          f"{str(exc).splitlines()[0]}", "write a JMESPath field path, e.g. customer.name")
    yield from _values(manifest, document, facts, vocabularies)
    yield from _canonical_fields((manifest.get("order") or {}).get("fields") or {}, CanonicalOrder,
                                 ("order", "fields"), document)
    for kind, route in ((manifest.get("webhook") or {}).get("events") or {}).items():
        for name, model in (("cancellation", Cancellation), ("courier", CourierUpdate)):
            if isinstance(route.get(name), dict):
                yield from _canonical_fields(route[name], model, ("webhook", "events", kind, name), document)
        yield from _channel_status(manifest, route, kind, at)
        if route.get("order") and not manifest.get("order"):
            yield Problem(at("webhook", "events", kind, "order"), "the event carries an order but the manifest "
                          "has no order mapping", "add the order: section")
    order_hook = (manifest.get("order") or {}).get("hook")
    if order_hook:
        try:
            load_hook(order_hook)
        except HookNotFound as exc:
            yield Problem(at("order", "hook"), str(exc), "name an importable function")
    yield from _webhook_auth(manifest, credentials, at)
    yield from _api(manifest, credentials, at)
    yield from _features(manifest, at)


def _values(manifest: Mapping[str, Any], document: LinedDocument, facts: set[str], vocabularies: set[str]
            ) -> Iterator[Problem]:
    for where, spec in _value_specs(manifest):
        line = document.line_of(where)
        sources = [key for key in SOURCES if key in spec and not (key == "fields" and "each" in spec)]
        if len(sources) != 1:
            said = ", ".join(sources) or "none"
            yield Problem(line, f"{dotted(where)}: a value has exactly one source ({', '.join(SOURCES)}); "
                          f"found {said}", "keep one source; modifiers are " + ", ".join(MODIFIERS))
        if "fact" in spec and spec["fact"] not in facts:
            yield Problem(line, f"{dotted(where)}: no fact named {spec['fact']!r} in order.facts",
                          _close(spec["fact"], facts))
        if isinstance(spec.get("map"), str) and spec["map"] not in vocabularies:
            yield Problem(line, f"{dotted(where)}: no vocabulary named {spec['map']!r}", _close(spec["map"],
                                                                                               vocabularies))
        if "when" in spec:
            for name in _condition_facts(spec["when"]):
                if name not in facts:
                    yield Problem(line, f"{dotted(where)}: no fact named {name!r} in order.facts", _close(name, facts))
        if "ref" in spec and not _ref_exists(manifest, spec["ref"]):
            yield Problem(line, f"{dotted(where)}: ref {spec['ref']!r} names no field of the order mapping",
                          "ref names a field written before it, e.g. amounts.total")


def _value_specs(manifest: Mapping[str, Any]) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    order = manifest.get("order") or {}
    roots: list[tuple[tuple[Any, ...], Any]] = [(("order", "facts", k), v) for k, v in (order.get("facts") or {}
                                                                                        ).items()]
    roots += [(("order", "fields", k), v) for k, v in (order.get("fields") or {}).items()]
    for kind, route in ((manifest.get("webhook") or {}).get("events") or {}).items():
        for name in ("channel_order_id", "occurred_at", "channel_status"):
            if name in route:
                roots.append((("webhook", "events", kind, name), route[name]))
        for name in ("cancellation", "courier"):
            roots += [(("webhook", "events", kind, name, k), v) for k, v in (route.get(name) or {}).items()]
    for operation, spec in (manifest.get("operations") or {}).items():
        roots += [(("operations", operation, "response", k), v) for k, v in ((spec or {}).get("response") or {}
                                                                              ).items()]
    stack = roots
    while stack:
        where, spec = stack.pop()
        if isinstance(spec, list):
            stack += [((*where, index), item) for index, item in enumerate(spec)]
            continue
        if not isinstance(spec, dict):
            continue
        if "fields" in spec and "each" not in spec:  # an object: its fields are values
            stack += [((*where, "fields", k), v) for k, v in spec["fields"].items()]
            continue
        yield where, spec
        for key in ("money", "time", "item", "currency"):
            if isinstance(spec.get(key), dict):
                stack.append(((*where, key), spec[key]))
        for key in ("first", "sum", "minus", "join"):
            stack += [((*where, key, index), item) for index, item in enumerate(spec.get(key) or ())]
        if isinstance(spec.get("fields"), dict):
            stack += [((*where, "fields", k), v) for k, v in spec["fields"].items()]


def _condition_facts(spec: Any) -> Iterator[str]:
    if isinstance(spec, dict):
        if "fact" in spec:
            yield spec["fact"]
        if "not" in spec:
            yield from _condition_facts(spec["not"])
        for key in ("all", "any"):
            for part in spec.get(key) or ():
                yield from _condition_facts(part)


def _ref_exists(manifest: Mapping[str, Any], ref: str) -> bool:
    fields: Any = (manifest.get("order") or {}).get("fields") or {}
    for part in ref.split("."):
        if not isinstance(fields, dict) or part not in fields:
            return False
        fields = fields[part].get("fields") if isinstance(fields[part], dict) else None
    return True


def _close(name: str, known: set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), 1)
    return f"did you mean {close[0]!r}?" if close else ("known: " + ", ".join(sorted(known)) if known else "")


def _canonical_fields(fields: Mapping[str, Any], model: type[BaseModel], where: tuple[Any, ...],
                      document: LinedDocument) -> Iterator[Problem]:
    known = set(model.model_fields)
    for name, spec in fields.items():
        if name not in known:
            yield Problem(document.line_of((*where, name)), f"{dotted((*where, name))}: {model.__name__} has no "
                          f"field {name!r}", _close(name, known) or "see canonical/orders.py")
            continue
        inner = nested_model(model, name)
        if inner is None or inner.__name__ == "Money" or not isinstance(spec, dict | list):
            continue
        items = spec if isinstance(spec, list) else [spec]
        for index, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get("fields"), dict):
                path = (*where, name, index, "fields") if isinstance(spec, list) else (*where, name, "fields")
                yield from _canonical_fields(item["fields"], inner, path, document)


def _channel_status(manifest: Mapping[str, Any], route: Mapping[str, Any], kind: str, at: Any) -> Iterator[Problem]:
    spec = route.get("channel_status")
    statuses = manifest.get("statuses") or {}
    known = set(statuses.get("inbound") or {}) | set(statuses.get("informational") or ())
    for service in (statuses.get("inbound_by_service") or {}).values():
        known |= set(service)
    constants = []
    if isinstance(spec, dict) and "value" in spec:
        constants = [spec["value"]]
    elif isinstance(spec, dict) and isinstance(spec.get("map"), dict):
        constants = list(spec["map"].values())
    for code in constants:
        if str(code) not in known:
            yield Problem(at("webhook", "events", kind, "channel_status"),
                          f"webhook.events.{kind}.channel_status: the channel status {code!r} is not in "
                          "statuses.inbound (nor informational)", _close(str(code), known) or
                          "add it to statuses.inbound with its canonical status")


def _webhook_auth(manifest: Mapping[str, Any], credentials: Mapping[str, Any], at: Any) -> Iterator[Problem]:
    auth = (manifest.get("webhook") or {}).get("auth") or {}
    for kind in ("token", "hmac"):
        if kind not in auth:
            continue
        for index, name in enumerate(auth[kind]["secrets"]):
            if name not in credentials:
                yield Problem(at("webhook", "auth", kind, "secrets", index), f"webhook.auth.{kind}.secrets: "
                              f"{name!r} is not a declared credential", _close(name, set(credentials)))
            elif credentials[name].get("secret") is False:
                yield Problem(at("webhook", "auth", kind, "secrets", index), f"{name!r} authenticates webhooks "
                              "but is not secret", "declare it secret: true")
    if "hmac" not in auth:
        return
    recipe = auth["hmac"]
    signed = recipe["signed"]
    parts = [match.group(1) for match in PLACEHOLDER.finditer(signed)]
    for part in parts:
        if part not in SIGNED_PARTS and not (part.startswith("header:") and len(part) > len("header:")):
            yield Problem(at("webhook", "auth", "hmac", "signed"), f"webhook.auth.hmac.signed: {{{part}}} is not "
                          "something a channel can sign", "use {body}, {timestamp} or {header:Name}")
    if "body" not in parts:
        yield Problem(at("webhook", "auth", "hmac", "signed"), "webhook.auth.hmac.signed does not include {body}: "
                      "a tampered body would pass", "write the exact string the channel signs, e.g. "
                      "\"{timestamp}.{body}\"")
    header_stamp = "header" in (recipe.get("timestamp") or {})
    if "timestamp" in parts and not header_stamp:
        yield Problem(at("webhook", "auth", "hmac", "signed"), "webhook.auth.hmac.signed uses {timestamp} but no "
                      "timestamp header is declared", "add timestamp: {header: ..., tolerance_seconds: 300}")
    if header_stamp and "timestamp" not in parts:
        yield Problem(at("webhook", "auth", "hmac", "timestamp"), "the timestamp is checked but not signed: a "
                      "replay with a fresh timestamp would pass", "add {timestamp} to signed as the channel signs it")


def _api(manifest: Mapping[str, Any], credentials: Mapping[str, Any], at: Any) -> Iterator[Problem]:
    auth = (manifest.get("api") or {}).get("auth") or {}
    for strategy, spec in auth.items():
        for key in ("credential", "username", "password", "client_id", "client_secret"):
            if key in spec and spec[key] not in credentials:
                yield Problem(at("api", "auth", strategy, key), f"api.auth.{strategy}.{key}: {spec[key]!r} is not "
                              "a declared credential", _close(spec[key], set(credentials)))
    for name, spec in (manifest.get("operations") or {}).items():
        hooks = [("hook", spec.get("hook"))] + ([("document", spec["document"]["hook"])]
                                                 if "document" in spec else [])
        for key, hook in hooks:
            if hook:
                try:
                    load_hook(hook)
                except HookNotFound as exc:
                    yield Problem(at("operations", name, key), str(exc), "name an importable function")
        if "hook" not in spec and not manifest.get("api"):
            yield Problem(at("operations", name), f"operations.{name} needs the api: section (base URLs, auth)",
                          "add api: {base_urls: ..., auth: ...}")


def _features(manifest: Mapping[str, Any], at: Any) -> Iterator[Problem]:
    features = manifest["features"]
    operations = manifest.get("operations") or {}
    webhook = manifest.get("webhook") or {}
    kinds = {route.get("kind") for route in (webhook.get("events") or {}).values()}
    for feature in (Feature.WEBHOOK_NEW_ORDER, Feature.WEBHOOK_STATUS_CHANGED):
        if "not_supported" in features[feature.value]:
            continue
        if not webhook:
            yield Problem(at("features", feature.value), f"{feature.value} is supported but there is no webhook: "
                          "section", "add webhook: (auth, dedup_key, events)")
            continue
        wanted = {"new_order", "new_reservation"} if feature == Feature.WEBHOOK_NEW_ORDER else {"status_changed"}
        if not kinds & wanted:
            yield Problem(at("features", feature.value), f"{feature.value} is supported but no webhook.events "
                          f"route is of kind {' or '.join(sorted(wanted))}", "route the channel's event type to it")
    for feature in Feature:
        options = features[feature.value].get("options") or {}
        for key, value in options.items():
            known = {"statuses": STATUSES, "reason_required_for": STATUSES, "own_courier_only": STATUSES,
                     "channel_courier_only": STATUSES, "service_types": SERVICE_TYPES}.get(key)
            for item in value if known and isinstance(value, list) else ():
                if item not in known:
                    yield Problem(at("features", feature.value, "options", key), f"features.{feature.value}."
                                  f"options.{key}: {item!r} is not one of: {', '.join(known)}",
                                  _close(str(item), set(known)))
    by_status = (operations.get("set_order_status") or {}).get("by_status")
    if by_status is not None:
        postable = (features["post_status"].get("options") or {}).get("statuses") or []
        for status in postable:
            if status not in by_status:
                yield Problem(at("operations", "set_order_status", "by_status"), f"post_status declares {status!r} "
                              "but operations.set_order_status.by_status has no request for it",
                              f"add {status}: {{method: ..., url: ...}}")
    for feature, needed in FEATURE_NEEDS.items():
        if "not_supported" not in features[feature.value]:
            for operation in needed:
                if operation not in operations:
                    yield Problem(at("features", feature.value), f"{feature.value} is supported but "
                                  f"operations.{operation} is not declared", "declare the operation, or the "
                                  "feature not_supported: \"why\"")
