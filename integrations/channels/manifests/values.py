"""The manifest's value language: how one canonical field is read from the channel's JSON.

A value is a JMESPath string (``customer.name``), or a mapping with one *source*:

* ``path`` (JMESPath), ``value`` (a constant), ``fact`` (a named value of ``facts``), ``ref`` (a canonical field
  already built, ``amounts.total``), ``money`` / ``time`` (a value read as money or as an instant),
  ``first`` (the first non-null of several), ``sum`` (+ ``minus``), ``join`` (+ ``separator``),
  ``template`` (``"{order_id}:{$type}"``), ``each`` (a list: ``fields`` or ``item``, a value, per item);

and modifiers, applied in this order: ``when`` (a condition; false gives ``otherwise``), ``null_if``, ``map``
(a vocabulary name or an inline mapping; an unmapped value gives ``otherwise``, ``keep`` keeps it), ``as``
(str, int, bool, decimal, percent: a rate such as 0.19 as 19), ``default`` (for null) and ``required`` (null is
a malformed payload).

Every path a value names is evaluated, even in a branch that is not taken (``first``'s later alternatives, a
false ``when``): the contract kit then counts the field as read, as a hand-written translation that reads
every field before choosing would.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jmespath
from jmespath.parser import ParsedResult

from canonical import Money

SOURCES = ("path", "value", "fact", "ref", "money", "time", "first", "sum", "join", "template", "each", "fields")
MODIFIERS = ("when", "otherwise", "null_if", "map", "as", "default", "required", "minus", "separator", "unit",
             "currency", "format", "zone")
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class UnreadableValue(ValueError):
    """A payload that cannot be read as the manifest says (a required field missing, a bad number...)."""


@cache
def compiled(expression: str) -> ParsedResult:
    return jmespath.compile(expression)


def search(expression: str, data: Any) -> Any:
    return compiled(expression).search(data)


def truthy(value: Any) -> bool:
    """JMESPath's truth: null, false, empty strings, lists and objects are false."""
    return not (value is None or value is False or value == "" or value == [] or value == {})


@dataclass
class Scope:
    """Where a value is read: the item (``data``), the payload's root, the facts and what is built so far."""

    data: Any
    root: Any
    restaurant_timezone: str = "UTC"
    facts: Mapping[str, Any] = field(default_factory=dict)
    built: dict[str, Any] = field(default_factory=dict)
    vocabularies: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    money: Mapping[str, Any] = field(default_factory=dict)
    times: Mapping[str, Any] = field(default_factory=dict)
    variables: Mapping[str, Any] = field(default_factory=dict)
    fact_cache: dict[str, Any] = field(default_factory=dict)
    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    def item(self, data: Any) -> Scope:
        return Scope(data, self.root, self.restaurant_timezone, self.facts, self.built, self.vocabularies,
                     self.money, self.times, self.variables, self.fact_cache, self.now)


def evaluate(spec: Any, scope: Scope, label: str = "value") -> Any:
    """The value ``spec`` gives in ``scope`` (see the module docstring)."""
    if isinstance(spec, str):
        return search(spec, scope.data)
    if not isinstance(spec, dict):
        return spec
    if "when" in spec and not condition(spec["when"], scope):
        _dry(lambda: _source(spec, scope, label))
        return _default(spec.get("otherwise"), spec, label)
    value = _source(spec, scope, label)
    if value is not None and spec.get("null_if") and _stripped(value) in spec["null_if"]:
        value = None
    if "map" in spec:
        value = _mapped(spec, value, scope)
    if value is not None and "as" in spec:
        value = convert(value, spec["as"], label)
    if value is None and "money" in spec and spec.get("default") == 0:
        value = Money.zero(_currency(spec, scope, label))
    return _default(value, spec, label)


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _default(value: Any, spec: dict[str, Any], label: str) -> Any:
    if value is None and "default" in spec and not ("time" in spec and spec["default"] == "now"):
        value = spec["default"]
    if value is None and spec.get("required"):
        raise UnreadableValue(f"{label} is required")
    return value


def _dry(run: Callable[[], Any]) -> None:
    with contextlib.suppress(ValueError, TypeError, KeyError, ArithmeticError):  # a branch not taken: its reads count
        run()


def _source(spec: dict[str, Any], scope: Scope, label: str) -> Any:
    if "path" in spec:
        return search(spec["path"], scope.data)
    if "value" in spec:
        return spec["value"]
    if "fact" in spec:
        return fact(spec["fact"], scope)
    if "ref" in spec:
        return _ref(spec["ref"], scope.built)
    if "money" in spec:
        return money(spec, scope, label)
    if "time" in spec:
        return instant(spec, scope, label)
    if "first" in spec:
        found = [_quiet(lambda alternative=alternative: evaluate(alternative, scope, label)) for alternative
                 in spec["first"]]
        return next((value for value in found if value is not None), None)
    if "sum" in spec:
        return _sum(spec, scope, label)
    if "join" in spec:
        parts = [evaluate(part, scope, label) for part in spec["join"]]
        return spec.get("separator", "").join(str(part) for part in parts if part not in (None, ""))
    if "template" in spec:
        return render(spec["template"], scope)
    if "each" in spec:
        return each(spec, scope, label)
    return None


def _quiet(run: Callable[[], Any]) -> Any:
    try:
        return run()
    except (ValueError, TypeError, KeyError, ArithmeticError):
        return None


def each(spec: dict[str, Any], scope: Scope, label: str) -> list[Any]:
    items = search(spec["each"], scope.data) or []
    if not isinstance(items, list):
        raise UnreadableValue(f"{label}: {spec['each']!r} is not a list")
    found = []
    for item in items:
        inner = scope.item(item)
        if "fields" in spec:
            found.append(build_fields(spec["fields"], inner, label))
        else:
            value = evaluate(spec.get("item", "@"), inner, label)
            if value not in (None, "") and not (isinstance(value, str) and not value.strip()):
                found.append(value)
    return found


def build_fields(fields: Mapping[str, Any], scope: Scope, label: str, into: dict[str, Any] | None = None
                 ) -> dict[str, Any]:
    """A canonical object's fields, each a value or a nested object (``fields``, ``when``) or list."""
    built: dict[str, Any] = {} if into is None else into
    for name, spec in fields.items():
        where = f"{label}.{name}"
        if isinstance(spec, list):  # a list of objects written out one by one (payments); a false `when` drops one
            objects = [build_object(item, scope, where) for item in spec]
            built[name] = [found for found in objects if found is not None]
        elif isinstance(spec, dict) and "fields" in spec and "each" not in spec:
            built[name] = build_object(spec, scope, where)
        else:
            built[name] = evaluate(spec, scope, where)
    return built


def build_object(spec: dict[str, Any], scope: Scope, label: str) -> dict[str, Any] | None:
    if "when" in spec and not condition(spec["when"], scope):
        _dry(lambda: build_fields(spec["fields"], scope, label, {}))
        return None
    target: dict[str, Any] = {}
    _set_ref(scope.built, label, target)
    return build_fields(spec["fields"], scope, label, target)


def _set_ref(built: dict[str, Any], label: str, target: dict[str, Any]) -> None:
    """Keep each object built under its dotted name (``estimates``), for ``ref``."""
    parts = label.split(".")[1:]
    if parts:
        built[".".join(parts)] = target


def _ref(name: str, built: Mapping[str, Any]) -> Any:
    head, _, last = name.rpartition(".")
    container = built.get(head) if head else built.get("")
    if container is None:
        return None
    return container.get(last)


def condition(spec: Any, scope: Scope) -> bool:
    if isinstance(spec, str):
        return truthy(search(spec, scope.data))
    if isinstance(spec, dict):
        if "fact" in spec:
            return truthy(fact(spec["fact"], scope))
        if "not" in spec:
            return not condition(spec["not"], scope)
        if "all" in spec:
            results = [condition(part, scope) for part in spec["all"]]  # every part read
            return all(results)
        if "any" in spec:
            results = [condition(part, scope) for part in spec["any"]]
            return any(results)
    return truthy(spec)


def fact(name: str, scope: Scope) -> Any:
    if name not in scope.fact_cache:
        root = scope.item(scope.root)
        scope.fact_cache[name] = evaluate(scope.facts[name], root, f"facts.{name}")
    return scope.fact_cache[name]


def _mapped(spec: dict[str, Any], value: Any, scope: Scope) -> Any:
    vocabulary = spec["map"]
    if isinstance(vocabulary, str):
        vocabulary = scope.vocabularies[vocabulary]
    key = value if not isinstance(value, bool) else str(value).lower()
    if isinstance(key, str | int) and key in vocabulary:
        return vocabulary[key]
    otherwise = spec.get("otherwise")
    return value if otherwise == "keep" else otherwise


def convert(value: Any, kind: str, label: str) -> Any:
    try:
        if kind == "str":
            return value if isinstance(value, str) else str(value)
        if kind == "int":
            if isinstance(value, bool):
                raise ValueError
            return int(value)
        if kind == "bool":
            return bool(value)
        if kind == "decimal":
            return Decimal(str(value))
        if kind == "percent":  # a rate (0.19) as a percent (19)
            return Decimal(str(value)) * 100
    except (ValueError, InvalidOperation):
        raise UnreadableValue(f"{label}: {value!r} is not a {kind}") from None
    raise UnreadableValue(f"{label}: unknown conversion {kind!r}")


# --- money -------------------------------------------------------------------------------------------------------


def money(spec: dict[str, Any], scope: Scope, label: str) -> Money | None:
    """``money: <value>`` as ``Money``: ``unit`` minor (integer cents, yen, fils) or major (decimal units, the
    currency's minor units by ISO 4217); a list of amounts is their sum; ``default: 0`` is zero."""
    raw = evaluate(spec["money"], scope, label)
    unit = spec.get("unit") or scope.money.get("unit", "major")
    currency = _currency(spec, scope, label)
    if isinstance(raw, list):
        amounts = [to_money(item, unit, currency, label) for item in raw if item is not None]
        return Money(amount=sum((m.amount for m in amounts), Decimal(0)), currency=currency) if amounts else None
    return to_money(raw, unit, currency, label)


def _currency(spec: dict[str, Any], scope: Scope, label: str) -> str:
    source = spec.get("currency") or scope.money.get("currency")
    if source is None:
        raise UnreadableValue(f"{label}: no currency (set order.money.currency)")
    value = evaluate(source, scope.item(scope.root), f"{label}.currency") if not _is_code(source) else source
    if not isinstance(value, str) or not value.strip():
        raise UnreadableValue(f"currency is required, got {value!r}")
    return value


def _is_code(source: Any) -> bool:
    return isinstance(source, str) and len(source) == 3 and source.isupper()


def to_money(raw: Any, unit: str, currency: str, label: str) -> Money | None:
    if raw is None:
        return None
    if isinstance(raw, Money):
        return raw
    if isinstance(raw, bool):
        raise UnreadableValue(f"{label}: {raw!r} is not an amount")
    if unit == "minor":
        if not isinstance(raw, int):
            raise UnreadableValue(f"{label}: an amount in minor units must be an integer, got {raw!r}")
        return Money.from_minor_units(raw, currency)
    try:
        amount = Decimal(str(raw))
    except InvalidOperation:
        raise UnreadableValue(f"{label}: {raw!r} is not an amount") from None
    return Money(amount=amount.quantize(Money.zero(currency).amount), currency=currency)


def _sum(spec: dict[str, Any], scope: Scope, label: str) -> Money | None:
    plus = [evaluate(part, scope, label) for part in spec["sum"]]
    minus = [evaluate(part, scope, label) for part in spec.get("minus", ())]
    known = [m for m in plus if m is not None]
    if not known:
        return None
    currency = known[0].currency
    total = sum((m.amount for m in known), Decimal(0)) - sum((m.amount for m in minus if m is not None), Decimal(0))
    return Money(amount=total, currency=currency)


# --- time ----------------------------------------------------------------------------------------------------------


def instant(spec: dict[str, Any], scope: Scope, label: str) -> datetime | None:
    """``time: <value>`` as a UTC instant: ``format`` iso, unix, unix_ms or a strptime pattern; ``zone`` for
    times without an offset: utc, restaurant, an IANA name or ``{offset_minutes: <value>, otherwise: ...}``."""
    raw = evaluate(spec["time"], scope, label)
    if raw is None or raw == "":
        return scope.now() if spec.get("default") == "now" else None
    fmt = spec.get("format") or scope.times.get("format", "iso")
    try:
        if fmt in ("unix", "unix_ms"):
            seconds = Decimal(str(raw)) / (1000 if fmt == "unix_ms" else 1)
            return datetime.fromtimestamp(float(seconds), tz=UTC)
        if fmt == "iso":
            moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        else:
            moment = datetime.strptime(str(raw), fmt)
    except (ValueError, InvalidOperation, OverflowError, OSError):
        raise UnreadableValue(f"{label}: {raw!r} is not a time in the format {fmt!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_zone(spec.get("zone") or scope.times.get("zone", "utc"), scope, label))
    return moment.astimezone(UTC)


def _zone(spec: Any, scope: Scope, label: str) -> tzinfo:
    if isinstance(spec, dict):
        offset = evaluate(spec["offset_minutes"], scope.item(scope.root), f"{label}.offset")
        if offset is not None and str(offset).strip() != "":
            try:
                return timezone(timedelta(minutes=int(str(offset).strip())))
            except ValueError:
                raise UnreadableValue(f"{label}: the offset {offset!r} is not a number of minutes") from None
        return _zone(spec.get("otherwise", "utc"), scope, label)
    if spec == "utc":
        return UTC
    name = scope.restaurant_timezone if spec == "restaurant" else str(spec)
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


# --- templates -----------------------------------------------------------------------------------------------------


def render(template: str, scope: Scope) -> str:
    """``{expr}`` replaced by the JMESPath value over the scope's data; ``{$name}`` by a variable. A missing value
    is an error: a key or URL with a hole in it would be wrong without anyone noticing."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        value = scope.variables.get(name[1:]) if name.startswith("$") else search(name, scope.data)
        if value is None or value == "":
            raise UnreadableValue(f"{{{name}}} has no value")
        return str(value)

    return PLACEHOLDER.sub(replace, template)
