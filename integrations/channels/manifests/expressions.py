"""Every JMESPath expression a manifest holds, where it is written and what it is evaluated against.

``expressions(manifest)`` yields each one with its place in the manifest (for the line), its scope (``order``:
an order payload; ``event``: one webhook event; ``response:<operation>``: an answer) and the list items it is
inside (``products[]``). ``field_chains`` reads an expression's syntax tree for the field paths it names, in the
kit's path format (``products[].attributes[].price``), so a path that no fixture has can be named with its line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jmespath

from .values import PLACEHOLDER

ManifestPath = tuple[str | int, ...]
VALUE_WRAPPERS = ("money", "time", "item", "currency")
LISTS = ("first", "sum", "minus", "join")


@dataclass(frozen=True)
class Expression:
    text: str
    where: ManifestPath
    scope: str
    base: tuple[str, ...] = ()
    is_condition: bool = False


def expressions(manifest: Mapping[str, Any]) -> Iterator[Expression]:
    order = manifest.get("order") or {}
    for name, spec in (order.get("facts") or {}).items():
        yield from _value(spec, ("order", "facts", name), "order", ())
    if isinstance(order.get("money"), dict) and "currency" in order["money"]:
        yield from _value(order["money"]["currency"], ("order", "money", "currency"), "order", ())
    zone = (order.get("times") or {}).get("zone")
    if isinstance(zone, dict):
        yield from _value(zone.get("offset_minutes"), ("order", "times", "zone", "offset_minutes"), "order", ())
    yield from _fields(order.get("fields") or {}, ("order", "fields"), "order", ())
    webhook = manifest.get("webhook") or {}
    if isinstance(webhook.get("each"), str):
        yield Expression(webhook["each"], ("webhook", "each"), "body")
    if isinstance((webhook.get("event_type") or {}).get("path"), str):
        yield Expression(webhook["event_type"]["path"], ("webhook", "event_type", "path"), "event")
    yield from _template(webhook.get("dedup_key"), ("webhook", "dedup_key"), "body")
    yield from _template((webhook.get("unknown") or {}).get("event_id"), ("webhook", "unknown", "event_id"), "event")
    for kind, route in (webhook.get("events") or {}).items():
        if not isinstance(route, dict):
            continue
        where = ("webhook", "events", kind)
        yield from _template(route.get("event_id"), (*where, "event_id"), "event")
        for name in ("channel_order_id", "occurred_at", "channel_status"):
            if name in route:
                yield from _value(route[name], (*where, name), "event", ())
        for name in ("cancellation", "courier"):
            if isinstance(route.get(name), dict):
                yield from _fields(route[name], (*where, name), "event", ())
    for operation, spec in (manifest.get("operations") or {}).items():
        for key, value in ((spec or {}).get("response") or {}).items() if isinstance(spec, dict) else ():
            yield from _value(value, ("operations", operation, "response", key), f"response:{operation}", ())


def _fields(fields: Mapping[str, Any], where: ManifestPath, scope: str, base: tuple[str, ...]
            ) -> Iterator[Expression]:
    for name, spec in fields.items():
        if isinstance(spec, list):
            for index, item in enumerate(spec):
                yield from _value(item, (*where, name, index), scope, base)
        else:
            yield from _value(spec, (*where, name), scope, base)


def _value(spec: Any, where: ManifestPath, scope: str, base: tuple[str, ...]) -> Iterator[Expression]:
    if isinstance(spec, str):
        yield Expression(spec, where, scope, base)
        return
    if not isinstance(spec, dict):
        return
    if "when" in spec:
        yield from _condition(spec["when"], (*where, "when"), scope, base)
    if isinstance(spec.get("path"), str):
        yield Expression(spec["path"], (*where, "path"), scope, base)
    if isinstance(spec.get("template"), str):
        yield from _template(spec["template"], (*where, "template"), scope, base)
    inner = base
    if isinstance(spec.get("each"), str):
        yield Expression(spec["each"], (*where, "each"), scope, base)
        inner = (*base, *_chain_of(spec["each"]), "[]")
    for key in VALUE_WRAPPERS:
        if key in spec:
            yield from _value(spec[key], (*where, key), scope, inner if key == "item" else base)
    for key in LISTS:
        for index, item in enumerate(spec.get(key) or ()):
            yield from _value(item, (*where, key, index), scope, base)
    if isinstance(spec.get("fields"), dict):
        yield from _fields(spec["fields"], (*where, "fields"), scope, inner)
    if isinstance(spec.get("zone"), dict):
        yield from _value(spec["zone"].get("offset_minutes"), (*where, "zone", "offset_minutes"), scope, ())


def _condition(spec: Any, where: ManifestPath, scope: str, base: tuple[str, ...]) -> Iterator[Expression]:
    if isinstance(spec, str):
        yield Expression(spec, where, scope, base, is_condition=True)
    elif isinstance(spec, dict):
        if "not" in spec:
            yield from _condition(spec["not"], (*where, "not"), scope, base)
        for key in ("all", "any"):
            for index, part in enumerate(spec.get(key) or ()):
                yield from _condition(part, (*where, key, index), scope, base)


def _template(template: Any, where: ManifestPath, scope: str, base: tuple[str, ...] = ()) -> Iterator[Expression]:
    if isinstance(template, str):
        for match in PLACEHOLDER.finditer(template):
            if not match.group(1).startswith("$"):
                yield Expression(match.group(1).strip(), where, scope, base)


def _chain_of(text: str) -> tuple[str, ...]:
    try:
        current, _ = _walk(jmespath.compile(text).parsed, ())
    except jmespath.exceptions.JMESPathError:
        return ()
    return current or ()


def field_chains(text: str, base: tuple[str, ...] = ()) -> list[str]:
    """The field paths ``text`` names, below ``base`` (``("products", "[]")``), as the kit writes them."""
    _, found = _walk(jmespath.compile(text).parsed, base)
    return sorted({render_chain(chain) for chain in found if chain})


def render_chain(chain: tuple[str, ...]) -> str:
    text = ""
    for part in chain:
        text = text + "[]" if part == "[]" else (f"{text}.{part}" if text else part)
    return text


def _walk(node: dict[str, Any], base: tuple[str, ...]) -> tuple[tuple[str, ...] | None, list[tuple[str, ...]]]:
    """(the path this node evaluates to, when it is a field path; every field path it names)."""
    kind, children = node["type"], node.get("children") or []
    if kind == "field":
        current = (*base, node["value"])
        return current, [current]
    if kind in ("current", "identity"):
        return base, []
    if kind in ("subexpression", "pipe", "index_expression"):
        left, found = _walk(children[0], base)
        if left is None:
            return None, found
        right, more = _walk(children[1], left) if kind != "index_expression" else ((*left, "[]"), [])
        return right, found + more
    if kind in ("projection", "filter_projection"):
        left, found = _walk(children[0], base)
        if left is None:
            return None, found
        item = left if left[-1:] == ("[]",) else (*left, "[]")
        current: tuple[str, ...] | None = None
        for child in children[1:]:
            current, more = _walk(child, item)
            found += more
        if kind == "filter_projection":  # children: left, right, comparator; the items it keeps are right's
            current = _walk(children[1], item)[0]
        return current, found
    if kind == "flatten":
        inner, found = _walk(children[0], base)
        return ((*inner, "[]") if inner and inner[-1:] != ("[]",) else inner), found
    if kind == "expref":
        return None, []  # evaluated against items the function chooses: not followed
    found = []
    for child in children:
        if isinstance(child, dict):
            found += _walk(child, base)[1]
    return None, found
