"""Comparing what a module made of a corpus fixture with the fixture's independent expected result.

The expected files (``corpus/<name>.expected.json``, format in ``docs/channels/corpus/README.md``) describe
the order or event as a restaurant reads it; this module maps each of their keys onto the canonical types
and says, field by field, where the module disagrees. Three outcomes per key:

* compared: the canonical value must equal the expected one (money as exact decimals, instants in UTC);
* pending: the canonical types have no place for it yet (reported, not failed); a ``null`` / empty expected
  value needs no place and passes;
* informational: a key that explains (``check``, ``*_basis``, ``meaning``): nothing to compare.

A key without a rule fails, so a new kind of expectation cannot be skipped silently. Money that is not sent
(``null``) and money that is zero are the same for fees, tips and discounts (nothing is charged); for tax
they are not: ``null`` is unknown, and a module that says 0.00 disagrees.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from canonical import CanonicalOrder, InboundEvent, OrderLine, ServiceType


class _Missing(Exception):
    """The canonical types have no such attribute (yet)."""


@dataclass
class Comparison:
    """What differs (``mismatches``) and what cannot be compared yet (``pending``), by expected key path."""

    mismatches: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return not self.mismatches

    def report(self, label: str) -> str:
        lines = [f"{label}: the module disagrees with the expected result on {len(self.mismatches)} field(s):"]
        lines += [f"  - {mismatch}" for mismatch in self.mismatches]
        if self.pending:
            lines.append(f"  (not compared, no canonical field yet: {', '.join(self.pending)})")
        return "\n".join(lines)


def _attr(obj: Any, dotted: str) -> Any:
    for name in dotted.split("."):
        if obj is None:
            return None
        if name not in type(obj).model_fields and not hasattr(type(obj), name):
            raise _Missing(dotted)
        obj = getattr(obj, name)
    return obj


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    amount = getattr(value, "amount", value)
    try:
        return Decimal(str(amount))
    except InvalidOperation:
        return None


def _instant(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _show(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    amount = getattr(value, "amount", None)
    if amount is not None and hasattr(value, "currency"):
        return f"{amount} {value.currency}"
    return repr(value)


class _Comparer:
    def __init__(self) -> None:
        self.result = Comparison()

    # --- one value ---------------------------------------------------------------

    def differ(self, path: str, expected: Any, actual: Any) -> None:
        self.result.mismatches.append(f"{path}: expected {_show(expected)}, got {_show(actual)}")

    def pending(self, path: str, expected: Any) -> None:
        if not _empty(expected):
            self.result.pending.append(path)

    def value(self, path: str, expected: Any, get: Callable[[], Any], kind: str = "text") -> None:
        try:
            actual = get()
        except _Missing:
            self.pending(path, expected)
            return
        if not _same(kind, expected, actual):
            self.differ(path, expected, actual)

    # --- the order ---------------------------------------------------------------------

    def order(self, expected: dict[str, Any], order: CanonicalOrder | None, path: str = "order",
              events: Sequence[InboundEvent] = ()) -> None:
        if order is None:
            self.result.mismatches.append(f"{path}: expected an order, the module produced none")
            return
        for key, want in expected.items():
            where = f"{path}.{key}"
            rule = _ORDER_RULES.get(key)
            if rule is None and _informational(key):
                continue
            if rule is None:
                self.result.mismatches.append(f"{where}: the kit has no rule for this expected key")
                continue
            rule(self, where, want, order, events)

    def lines(self, path: str, expected: list[dict[str, Any]], actual: Sequence[OrderLine], parent_qty: int) -> None:
        if len(expected) != len(actual):
            names = [line.name for line in actual]
            self.result.mismatches.append(f"{path}: expected {len(expected)} line(s), got {len(actual)}: {names}")
            return
        for index, (want, line) in enumerate(zip(expected, actual, strict=True)):
            self.line(f"{path}[{index}]", want, line)

    def line(self, path: str, want: dict[str, Any], line: OrderLine) -> None:
        for key, value in want.items():
            where = f"{path}.{key}"
            if key == "name":
                self.value(where, value, lambda: line.name)
            elif key == "sku":
                self.value(where, value, lambda: line.sku)
            elif key == "channel_line_id":
                self.value(where, value, lambda: _attr(line, "channel_line_id"))
            elif key == "group":
                self.value(where, value, lambda: _attr(line, "group"))
            elif key == "quantity":
                self.value(where, value, lambda: line.quantity, "number")
            elif key == "base_unit_price":
                self.value(where, value, lambda: line.unit_price, "money")
            elif key == "unit_price":
                # with its options, per unit of the line
                self.value(where, value, lambda: line.gross_total() / line.quantity, "money")
            elif key == "line_total":
                self.value(where, value, lambda: line.gross_total(), "money")
            elif key == "options":
                self.lines(where, value, line.options, line.quantity)
            elif key == "removed":
                self.removed(where, value, line)
            elif key == "notes":
                self.value(where, value, lambda: line.notes)
            elif key == "allergies":
                self.allergies(where, value, line)
            elif key in ("group_id", "external_data"):
                self.pending(where, value)
            elif not _informational(key):
                self.result.mismatches.append(f"{where}: the kit has no rule for this expected key")

    def removed(self, path: str, expected: list[dict[str, Any]], line: OrderLine) -> None:
        try:
            actual = _attr(line, "removed")
        except _Missing:
            self.pending(path, expected)
            return
        if len(expected) != len(actual):
            self.differ(path, [item.get("name") for item in expected], [item.name for item in actual])
            return
        for index, (want, item) in enumerate(zip(expected, actual, strict=True)):
            where = f"{path}[{index}]"
            self.value(f"{where}.name", want.get("name"), lambda item=item: item.name)
            if "sku" in want:
                self.value(f"{where}.sku", want["sku"], lambda item=item: item.sku)

    def allergies(self, path: str, expected: list[dict[str, Any]], line: OrderLine) -> None:
        try:
            text = _attr(line, "allergy_notes") or ""
        except _Missing:
            self.pending(path, expected)
            return
        wanted = [str(word) for allergy in expected for word in
                  [*allergy.get("exclude", []), allergy.get("instructions") or ""] if word]
        missing = [word for word in wanted if word.lower() not in text.lower()]
        if missing or (not expected and text):
            self.differ(path, wanted, text)


def _same(kind: str, expected: Any, actual: Any) -> bool:
    if kind == "text":
        return (expected or "") == (actual or "")
    if kind == "number":
        return expected == actual
    if kind == "bool":
        return expected is actual
    if kind == "money":  # strict: None is unknown, 0.00 is a known zero
        if expected is None or actual is None:
            return expected is None and actual is None
        return _decimal(expected) == _decimal(actual)
    if kind == "charge":  # a fee / tip / discount: not sent and zero are the same
        return (_decimal(expected) or Decimal(0)) == (_decimal(actual) or Decimal(0))
    if kind == "decimal":
        return _decimal(expected) == _decimal(actual)
    if kind == "time":
        return _instant(expected) == _instant(actual)
    raise ValueError(kind)


_INFORMATIONAL_SUFFIXES = ("_meaning", "_basis", "_derived", "_text", "_signal")
_INFORMATIONAL = frozenset({"check", "basis", "meaning", "unit_price_includes_options", "source", "note"})


def _informational(key: str) -> bool:
    return key in _INFORMATIONAL or key.endswith(_INFORMATIONAL_SUFFIXES)


Rule = Callable[[_Comparer, str, Any, CanonicalOrder, Sequence[InboundEvent]], None]


def _field(attribute: str, kind: str = "text") -> Rule:
    def rule(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
        c.value(path, want, lambda: _attr(order, attribute), kind)
    return rule


def _no_field(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    c.pending(path, want)


def _bundled(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    """Other orders the same courier delivers: null ("not for marketplace orders") and [] both mean none."""
    if list(want or ()) != list(order.bundled_with):
        c.differ(path, want, list(order.bundled_with))


_INVOICING = {"company_name": "company_name", "tax_id": "tax_id", "company_address": "address", "address": "address"}


def _invoicing(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    found = order.customer.invoicing
    if want is None or found is None:
        if (want is None) != (found is None):
            c.differ(path, want, found)
        return
    for key, value in want.items():
        attribute = _INVOICING.get(key)
        if attribute is None:
            if not _informational(key):
                c.result.mismatches.append(f"{path}.{key}: the kit has no rule for this expected key")
            continue
        c.value(f"{path}.{key}", value, lambda attribute=attribute: getattr(found, attribute))


def _skip(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    """Not a fact of the order (the connection already is the store)."""


def _status(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    statuses = {str(order.status) if order.status else None} | {str(e.status) for e in events if e.status}
    if want not in statuses:
        c.differ(path, want, order.status)


def _service_type(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    c.value(path, want, lambda: str(order.service_type))


FULFILMENT = {
    "channel_courier": (ServiceType.DELIVERY, False),
    "restaurant_courier": (ServiceType.DELIVERY, True),
    "customer_pickup": (ServiceType.COLLECTION, None),
    "dine_in": (ServiceType.IN_SITU, None),
}


def _fulfilment(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    service, by_restaurant = FULFILMENT[want]
    actual_by_restaurant = bool(order.delivery and order.delivery.by_restaurant)
    if order.service_type != service or (by_restaurant is not None and actual_by_restaurant != by_restaurant):
        who = "restaurant_courier" if actual_by_restaurant else "channel_courier"
        c.differ(path, want, f"{order.service_type} ({who})" if order.service_type == ServiceType.DELIVERY
                 else str(order.service_type))


def _scheduled(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    if want is None:
        return  # the channel does not say; a target time, if any, is compared under scheduled_for
    c.value(path, want, lambda: _attr(order, "is_scheduled"), "bool")


def _estimates(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    for key, attribute in (("ready", "estimates.ready_at"), ("pickup", "estimates.pickup_at"),
                           ("dropoff", "estimates.dropoff_at")):
        if key in want:
            c.value(f"{path}.{key}", want[key], lambda attribute=attribute: _attr(order, attribute), "time")
    # pickup_by restates the fulfilment (who collects): compared there


def _customer(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    for key, value in want.items():
        if key in ("name", "phone", "phone_code"):
            c.value(f"{path}.{key}", value, lambda key=key: _attr(order.customer, key))
        elif key == "id":
            c.value(f"{path}.id", value, lambda: order.customer.channel_customer_id)
        elif key == "phone_is_anonymized" or _informational(key):
            continue
        else:
            c.pending(f"{path}.{key}", value)


_ADDRESS = {"street": ("street", "text"), "unit": ("unit", "text"), "city": ("city", "text"),
            "postal_code": ("postcode", "text"), "lat": ("lat", "decimal"), "lng": ("lng", "decimal"),
            "notes": ("instructions", "text"), "business_name": ("business_name", "text")}
_HANDOVER_WORDS = {"DELIVER_TO_DOOR": "to_customer", "MEET_AT_DOOR": "to_customer", "HAND_TO_ME": "to_customer",
                   "LEAVE_AT_DOOR": "leave_at_door", "CURBSIDE": "curbside", "MEET_OUTSIDE": "curbside"}
"""What an expected file's drop-off word means (the words as channels document them), for ``Address.handover``."""


def _address(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    address = order.delivery_address
    if want is None:
        if address is not None:
            c.differ(path, None, address)
        return
    if address is None:
        c.differ(path, want.get("street"), None)
        return
    for key, value in want.items():
        if key in _ADDRESS:
            attribute, kind = _ADDRESS[key]
            c.value(f"{path}.{key}", value, lambda attribute=attribute: _attr(address, attribute), kind)
        elif key in ("dropoff_type", "handover") and value is not None:
            meaning = _HANDOVER_WORDS.get(str(value).upper(), str(value))
            c.value(f"{path}.{key}", meaning, lambda: _attr(address, "handover"))
        elif not _informational(key):
            c.pending(f"{path}.{key}", value)


def _courier(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    delivery = order.delivery
    if want is None:
        if delivery is not None and (delivery.driver_name or delivery.driver_phone):
            c.differ(path, None, f"{delivery.driver_name} {delivery.driver_phone}".strip())
        return
    for key, value in want.items():
        attribute = {"name": "driver_name", "phone": "driver_phone", "phone_code": "phone_code",
                     "picture_url": "picture_url"}.get(key)
        if key == "vehicle" and isinstance(value, dict):
            vehicle = _attr(delivery, "vehicle") if delivery else ""
            missing = [str(part) for part in value.values() if part and str(part) not in (vehicle or "")]
            if missing:
                c.differ(f"{path}.vehicle", value, vehicle)
        elif attribute is None:
            c.pending(f"{path}.{key}", value)
        else:
            c.value(f"{path}.{key}", value, lambda attribute=attribute: _attr(delivery, attribute) if delivery
                    else None)


def _lines(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    c.lines(path, want, order.lines, 1)


def _lines_total(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    c.value(path, want, lambda: sum((line.gross_total() for line in order.lines), Decimal(0)), "money")


_FEES = {"delivery": "delivery_fee", "service": "service_fee", "bag": "bag_fee",
         "small_order": "small_order_surcharge", "tip": "tip"}
_FEE_SUMS = frozenset({"total_fee", "total_fee_tax", "delivery_tax"})
"""Sums and taxes of fees: part of the total's arithmetic (``assert_order_is_sound``), not a fee of their own."""


def _fees(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    for key, value in want.items():
        where = f"{path}.{key}"
        if key in _FEES:
            c.value(where, value, lambda key=key: _attr(order.amounts, _FEES[key]), "charge")
        elif key in _FEE_SUMS or _informational(key):
            continue
        else:  # a fee of the channel's own, under its name: an extra fee, or money kept outside the total
            def extra(key: str = key) -> Any:
                fees = tuple(_attr(order.amounts, "extra_fees")) + tuple(_attr(order.amounts, "outside_total"))
                return next((fee.amount for fee in fees if fee.name == key), None)
            c.value(where, value, extra, "charge")


def _discounts(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    amounts = [Decimal(str(value)) for key, value in want.items() if isinstance(value, str | int)]
    expected = sum(amounts, Decimal(0)) if amounts else None
    c.value(path, expected, lambda: order.amounts.discount, "charge")
    if want.get("promotions"):
        c.pending(f"{path}.promotions", want["promotions"])


def _tax(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    c.value(f"{path}.amount", want.get("amount"), lambda: order.amounts.vat, "money")
    if "before_promotions" in want:
        c.pending(f"{path}.before_promotions", want["before_promotions"])
    if "included_in_prices" in want:
        c.value(f"{path}.included_in_prices", want["included_in_prices"],
                lambda: _attr(order.amounts, "prices_include_vat"), "bool")


def _total(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    if want is None:
        c.result.pending.append(f"{path} (the channel sends none; the canonical total is required)")
        return
    c.value(path, want, lambda: order.amounts.total, "money")


def _placed_at(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    if want is None:  # e.g. Glovo's optional order_time: the module dates the order by its receipt
        c.result.pending.append(f"{path} (the channel sends none; the canonical placed_at is required)")
        return
    c.value(path, want, lambda: order.placed_at, "time")


def _codes(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    for key, attribute in (("pickup", "pickup_code"), ("courier", "courier_code")):
        if key in want:
            c.value(f"{path}.{key}", want[key], lambda attribute=attribute: _attr(order, attribute))


def _packaging(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    wanted = None if want is None else want.get("disposable_items")
    c.value(path, wanted, lambda: _attr(order, "disposables_requested"), "bool")


def _allergy_notes(c: _Comparer, path: str, want: Any, order: CanonicalOrder,
                   events: Sequence[InboundEvent]) -> None:
    try:
        notes = [_attr(order, "allergy_notes") or ""]
        notes += [_attr(line, "allergy_notes") or "" for line in order.lines]
    except _Missing:
        c.pending(path, want)
        return
    kept = " ".join(note for note in notes if note)
    if not want:
        if kept:
            c.differ(path, [], kept)
        return
    if not kept:
        c.differ(path, want, "no allergy note")
        return
    if not any(notes[1:]):  # kept on the order: each expected note is in its text (line notes: under lines)
        missing = [note for note in want if note.lower() not in kept.lower()]
        if missing:
            c.differ(path, want, kept)


def _payment(c: _Comparer, path: str, want: Any, order: CanonicalOrder, events: Sequence[InboundEvent]) -> None:
    payment = order.payments[0] if order.payments else None
    for key, value in want.items():
        where = f"{path}.{key}"
        if key == "prepaid":
            c.value(where, value, lambda: payment.prepaid if payment else None, "bool")
        elif key == "channel_value":
            c.value(where, value, lambda: _attr(payment, "channel_method") if payment else None)
        elif key == "method":
            c.value(where, value, lambda: None if payment is None or str(payment.method) == "unknown"
                    else str(payment.method))
        elif key == "cash_to_collect":
            c.value(where, value, lambda: _attr(payment, "cash_to_collect") if payment else None, "charge")
        elif key == "collect_at_handover":
            if value is None:
                c.value(where, None, lambda: _attr(payment, "cash_to_collect") if payment else None, "charge")
                continue
            c.value(f"{where}.amount", value.get("amount"),
                    lambda: _attr(payment, "cash_to_collect") if payment else None, "charge")
            if "customer_cash_payment_amount" in value:
                c.value(f"{where}.customer_cash_payment_amount", value["customer_cash_payment_amount"],
                        lambda: _attr(payment, "cash_tendered") if payment else None, "charge")
            if value.get("from") is not None:
                c.pending(f"{where}.from", value["from"])
        elif not _informational(key):
            c.pending(where, value)


def cancellation(c: _Comparer, path: str, want: Any, found: Any) -> None:
    """``want`` (an expected ``cancellation``) against a canonical ``Cancellation`` or None."""
    if want is None:
        if found is not None:
            c.differ(path, None, found)
        return
    if found is None:
        c.result.mismatches.append(f"{path}: expected a cancellation ({want.get('reason')}), got none")
        return
    for key, value in want.items():
        where = f"{path}.{key}"
        if key == "who":
            c.value(where, value or "unknown", lambda: str(found.by))
        elif key == "reason":
            c.value(where, value, lambda: found.reason_code)
        elif key == "payment_strategy":
            c.value(where, value, lambda: found.payment_strategy)
        elif key == "at":
            c.value(where, value, lambda: found.cancelled_at, "time")
        elif not _informational(key) and key != "event_type":
            c.pending(where, value)


def _cancellation(c: _Comparer, path: str, want: Any, order: CanonicalOrder,
                  events: Sequence[InboundEvent]) -> None:
    try:
        found = _attr(order, "cancellation")
        found = found or next((_attr(e, "cancellation") for e in events if getattr(e, "cancellation", None)), None)
    except _Missing:
        c.pending(path, want)
        return
    cancellation(c, path, want, found)


_ORDER_RULES: dict[str, Rule] = {
    "channel_order_id": _field("channel_order_id"),
    "display_code": _field("display_code"),
    "store": _skip,
    "channel_state": _field("channel_status"),
    "status": _status,
    "service_type": _service_type,
    "fulfilment": _fulfilment,
    "scheduled": _scheduled,
    "scheduled_for": _field("scheduled_for", "time"),
    "placed_at": _placed_at,
    "estimates": _estimates,
    "customer": _customer,
    "address": _address,
    "courier": _courier,
    "lines": _lines,
    "lines_total": _lines_total,
    "fees": _fees,
    "discounts": _discounts,
    "tax": _tax,
    "total": _total,
    "currency": _field("currency"),
    "codes": _codes,
    "cutlery": _field("cutlery_requested", "bool"),
    "packaging": _packaging,
    "allergy_notes": _allergy_notes,
    "notes": _field("notes"),
    "special_requirements": _skip,  # the same text as `notes` in every fixture (Glovo's name for it)
    "loyalty_card": _field("loyalty_code"),
    "payment": _payment,
    "cancellation": _cancellation,
    "brand": _field("ordered_via"),
    "bundled_orders": _bundled,
    "invoicing_details": _invoicing,
    "table": _field("table"),
    "external_reference_id": _no_field,
    "products_after_partner_discounts": _no_field,
    "total_before_promotions": _no_field,
}


# --- public -----------------------------------------------------------------------------------------


def compare_order(expected: dict[str, Any], order: CanonicalOrder | None,
                  events: Sequence[InboundEvent] = ()) -> Comparison:
    """``expected`` (an expected file's ``order``) against the module's order; ``events``: the webhook's."""
    comparer = _Comparer()
    comparer.order(expected, order, events=events)
    return comparer.result


_EVENT_INFORMATIONAL = frozenset({"meaning", "event_type", "notification_status", "resource_href", "environment",
                                  "signature_valid_with_test_secret", "channel_store_id"})


def compare_event(expected: dict[str, Any], events: Sequence[InboundEvent], dedup_key: str,
                  cancellation_expected: Any = None) -> Comparison:
    """An expected file's ``event`` (and top-level ``cancellation``) against the parsed events.

    ``dedup_key`` is compared by its facts: each ``:``-part of the expected key appears in ours (our key's
    format is the platform's, e.g. ``event:<id>``).
    """
    comparer = _Comparer()
    if not events:
        comparer.result.mismatches.append("event: the module produced no event")
        return comparer.result
    event = events[0]
    for key, want in expected.items():
        where = f"event.{key}"
        if key == "channel_event_id":
            comparer.value(where, want, lambda: event.event_id)
        elif key == "channel_order_id":
            comparer.value(where, want, lambda: event.channel_order_id)
        elif key == "occurred_at":
            comparer.value(where, want, lambda: event.occurred_at, "time")
        elif key == "status":
            comparer.value(where, want, lambda: str(event.status) if event.status else None)
        elif key == "dedup_key":
            missing = [part for part in str(want).split(":") if part not in dedup_key]
            if missing:
                comparer.differ(where, want, dedup_key)
        elif key not in _EVENT_INFORMATIONAL:
            comparer.result.mismatches.append(f"{where}: the kit has no rule for this expected key")
    if cancellation_expected is not None:
        try:
            found = _attr(event, "cancellation")
        except _Missing:
            comparer.pending("cancellation", cancellation_expected)
        else:
            cancellation(comparer, "cancellation", cancellation_expected, found)
    return comparer.result


def compare_request(expected_method: str, expected_url: str, expected_headers: dict[str, str],
                    expected_body: Any, method: str, url: str, headers: Any, body: Any) -> Comparison:
    """A built request against a documented one: method, URL, the documented headers, the JSON body.

    A documented header value in angle brackets (``<static token>``) only has to be present.
    """
    comparer = _Comparer()
    if method != expected_method:
        comparer.differ("method", expected_method, method)
    if url.split("?")[0] != expected_url:
        comparer.differ("url", expected_url, url)
    for name, value in expected_headers.items():
        actual = headers.get(name)
        if actual is None:
            comparer.result.mismatches.append(f"header {name}: missing")
        elif not (value.startswith("<") and value.endswith(">")) and actual.split(";")[0] != value:
            comparer.differ(f"header {name}", value, actual)
    _compare_json(comparer, "body", expected_body, body)
    return comparer.result


def _compare_json(c: _Comparer, path: str, expected: Any, actual: Any) -> None:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                c.result.mismatches.append(f"{path}.{key}: missing (expected {expected[key]!r})")
            elif key not in expected:
                c.result.mismatches.append(f"{path}.{key}: not documented (sent {actual[key]!r})")
            else:
                _compare_json(c, f"{path}.{key}", expected[key], actual[key])
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            _compare_json(c, f"{path}[{index}]", want, got)
    elif isinstance(expected, str) and isinstance(actual, str) and _same_instant(expected, actual):
        return
    elif expected != actual or type(expected) is not type(actual):
        c.differ(path, expected, actual)


def _same_instant(expected: str, actual: str) -> bool:
    """Two ISO-8601 date-times with offsets that name the same instant ("23:30+01:00" and "22:30Z")."""
    try:
        first, second = _instant(expected), _instant(actual)
    except ValueError:
        return False
    return bool(first and second and first.tzinfo and second.tzinfo and first == second)


def compare_acknowledgement(expected: dict[str, Any], declared: Any) -> Comparison:
    """An expected file's ``acknowledge`` (the documented reply) against the module's ``acknowledgement``."""
    comparer = _Comparer()
    if declared is None:
        comparer.differ("acknowledge", f"HTTP {expected.get('status')} {expected.get('body')!r}",
                        "no acknowledgement declared (the platform's JSON 202)")
        return comparer.result
    if expected.get("status") is not None:
        comparer.value("acknowledge.status", expected["status"], lambda: declared.status, "number")
    if "body" in expected:
        comparer.value("acknowledge.body", expected["body"], lambda: declared.body.decode())
    return comparer.result
