"""Menu validation, lookup and partial updates, in the market's own vocabulary.

Validation answers with the exact path of the first problem
(``menus[0].sections[1].items[3].price_cents must be an integer >= 0``) because
that message is what an integration engineer needs to fix a mapping.

Uniqueness of ``plu``: item and size plus must be unique within one menu;
an extra plu must be unique within its group but may be shared by several
groups (one "Extra cheese" option offered on many pizzas), and the same item
may appear on several menus (carte and set menu). PATCH by plu updates every
occurrence.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from .errors import unprocessable
from .fields import Reader, lst

CODE = "invalid_menu"
MENU_KINDS = ("CARTE", "SET")
PATCHABLE = ("title", "price_cents", "available", "vat_pct", "description")


def _read(data: Any, path: str) -> Reader:
    return Reader(data, path, CODE)


def _entries(data: Any, path: str) -> list[Any]:
    return lst(data, path, CODE)


def _vat(r: Reader, key: str = "vat_pct") -> float:
    value = r.number(key, minimum=0, maximum=100)
    assert value is not None
    return int(value) if float(value).is_integer() else value


def _extra(data: Any, path: str) -> dict[str, Any]:
    r = _read(data, path)
    return {"plu": r.string("plu", max_len=64), "title": r.string("title"),
            "price_cents": r.integer("price_cents", minimum=0), "vat_pct": _vat(r),
            "available": r.boolean("available", required=False, default=True)}


def _group(data: Any, path: str) -> dict[str, Any]:
    r = _read(data, path)
    group: dict[str, Any] = {"ref": r.string("ref", max_len=64), "title": r.string("title"),
                             "min_pick": r.integer("min_pick", required=False, default=0, minimum=0),
                             "max_pick": r.integer("max_pick", required=False, default=1, minimum=1),
                             "max_same": r.integer("max_same", required=False, default=1, minimum=1)}
    if group["max_pick"] < group["min_pick"]:
        raise unprocessable(CODE, f"{path}.max_pick must be >= min_pick")
    extras = [_extra(e, f"{path}.extras[{i}]") for i, e in enumerate(_entries(r.data.get("extras", []),
                                                                                f"{path}.extras"))]
    seen: dict[str, int] = {}
    for i, extra in enumerate(extras):
        if extra["plu"] in seen:
            raise unprocessable(CODE, f'{path}.extras[{i}].plu "{extra["plu"]}" duplicates '
                                      f"{path}.extras[{seen[extra['plu']]}].plu")
        seen[extra["plu"]] = i
    group["extras"] = extras
    return group


def _item(data: Any, path: str) -> dict[str, Any]:
    r = _read(data, path)
    item: dict[str, Any] = {"plu": r.string("plu", max_len=64), "title": r.string("title"),
                            "description": r.string("description", required=False, nonempty=False) or "",
                            "price_cents": r.integer("price_cents", minimum=0), "vat_pct": _vat(r),
                            "available": r.boolean("available", required=False, default=True)}
    sizes = []
    for i, s in enumerate(_entries(r.data.get("sizes", []), f"{path}.sizes")):
        sr = _read(s, f"{path}.sizes[{i}]")
        sizes.append({"plu": sr.string("plu", max_len=64), "title": sr.string("title"),
                      "price_cents": sr.integer("price_cents", minimum=0),
                      "available": sr.boolean("available", required=False, default=True)})
    item["sizes"] = sizes
    item["extra_groups"] = [_group(g, f"{path}.extra_groups[{i}]")
                            for i, g in enumerate(_entries(r.data.get("extra_groups", []), f"{path}.extra_groups"))]
    return item


def validate(body: Any, default_currency: str) -> dict[str, Any]:
    """Return the normalized menu document (defaults filled in) or raise 422 ``invalid_menu``."""
    r = _read(body, "body")
    currency = r.string("currency", required=False, default=default_currency)
    assert currency is not None
    if len(currency) != 3 or not currency.isalpha():
        raise unprocessable(CODE, "currency must be a 3-letter ISO code")
    menus = []
    for m, raw in enumerate(_entries(r.data.get("menus"), "menus")):
        path = f"menus[{m}]"
        mr = _read(raw, path)
        menu: dict[str, Any] = {"ref": mr.string("ref", max_len=64), "title": mr.string("title"),
                                "kind": mr.choice("kind", MENU_KINDS, required=False, default="CARTE"),
                                "set_price_cents": mr.integer("set_price_cents", required=False, minimum=0)}
        if menu["kind"] == "SET" and menu["set_price_cents"] is None:
            raise unprocessable(CODE, f"{path}.set_price_cents is required for a SET menu")
        sections = []
        for s, raw_section in enumerate(_entries(mr.data.get("sections", []), f"{path}.sections")):
            spath = f"{path}.sections[{s}]"
            sr = _read(raw_section, spath)
            items = [_item(it, f"{spath}.items[{i}]")
                     for i, it in enumerate(_entries(sr.data.get("items", []), f"{spath}.items"))]
            sections.append({"ref": sr.string("ref", max_len=64), "title": sr.string("title"), "items": items})
        menu["sections"] = sections
        _check_unique(menu, path)
        menus.append(menu)
    refs = [m["ref"] for m in menus]
    for i, ref in enumerate(refs):
        if ref in refs[:i]:
            raise unprocessable(CODE, f'menus[{i}].ref "{ref}" is used twice')
    return {"currency": currency.upper(), "menus": menus}


def _check_unique(menu: dict[str, Any], path: str) -> None:
    seen: dict[str, str] = {}
    for s, section in enumerate(menu["sections"]):
        for i, item in enumerate(section["items"]):
            ipath = f"{path}.sections[{s}].items[{i}]"
            candidates = [(f"{ipath}.plu", item["plu"])]
            candidates += [(f"{ipath}.sizes[{z}].plu", size["plu"]) for z, size in enumerate(item["sizes"])]
            for where, plu in candidates:
                if plu in seen:
                    raise unprocessable(CODE, f'{where} "{plu}" duplicates {seen[plu]}')
                seen[plu] = where


def walk(menu: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    """Yield ``(kind, entry, parent_item)`` for every item, size and extra in the menu."""
    for m in menu.get("menus", []):
        for section in m["sections"]:
            for item in section["items"]:
                yield "item", item, None
                for size in item["sizes"]:
                    yield "size", size, item
                for group in item["extra_groups"]:
                    for extra in group["extras"]:
                        yield "extra", extra, item


def find(menu: dict[str, Any], plu: str) -> tuple[str, dict[str, Any], dict[str, Any] | None] | None:
    return next(((k, e, p) for k, e, p in walk(menu) if e["plu"] == plu), None)


def patch(menu: dict[str, Any], plu: str, body: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Apply a partial update to every entry with ``plu``; returns (new menu, first updated entry) or None."""
    r = Reader(body, "body", CODE)
    unknown = sorted(set(r.data) - set(PATCHABLE))
    if unknown:
        raise unprocessable(CODE, f"{unknown[0]} cannot be patched (allowed: {', '.join(PATCHABLE)})")
    if not r.data:
        raise unprocessable(CODE, f"body must contain at least one of {', '.join(PATCHABLE)}")
    changes: dict[str, Any] = {}
    if r.has("title"):
        changes["title"] = r.string("title")
    if r.has("description"):
        changes["description"] = r.string("description", nonempty=False)
    if r.has("price_cents"):
        changes["price_cents"] = r.integer("price_cents", minimum=0)
    if r.has("available"):
        changes["available"] = r.boolean("available")
    if r.has("vat_pct"):
        changes["vat_pct"] = _vat(r)
    new = copy.deepcopy(menu)
    first = None
    for kind, entry, _parent in walk(new):
        if entry["plu"] != plu:
            continue
        allowed = {k: v for k, v in changes.items() if k in entry}
        if kind == "size" and ("vat_pct" in changes or "description" in changes):
            raise unprocessable(CODE, f'"{plu}" is a size: only title, price_cents and available apply')
        if kind == "extra" and "description" in changes:
            raise unprocessable(CODE, f'"{plu}" is an extra: description does not apply')
        entry.update(allowed)
        first = first or entry
    return (new, first) if first is not None else None
