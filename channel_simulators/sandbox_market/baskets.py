"""Random but realistic tickets: baskets drawn from the store's published menu.

Realistic means what a real customer could have ordered: only available
items, a size when the item has sizes, extras within each group's
min_pick / max_pick / max_same. Without a published menu a small built-in
demo menu is used, so a fresh market can still produce orders.
"""

from __future__ import annotations

import random
import string
from typing import Any

DEMO_MENU: dict[str, Any] = {
    "currency": "EUR",
    "menus": [{
        "ref": "MAIN", "title": "Carta", "kind": "CARTE", "set_price_cents": None,
        "sections": [
            {"ref": "PIZZAS", "title": "Pizzas", "items": [
                {"plu": "PIZ-MARG", "title": "Margherita", "description": "Tomato, mozzarella, basil",
                 "price_cents": 1150, "vat_pct": 10, "available": True,
                 "sizes": [{"plu": "PIZ-MARG-M", "title": "Medium", "price_cents": 1150, "available": True},
                           {"plu": "PIZ-MARG-L", "title": "Large", "price_cents": 1450, "available": True}],
                 "extra_groups": [{"ref": "PIZ-EXTRAS", "title": "Extras", "min_pick": 0, "max_pick": 3,
                                   "max_same": 2, "extras": [
                                       {"plu": "OPT-EXTRA-CHEESE", "title": "Extra cheese", "price_cents": 150,
                                        "vat_pct": 10, "available": True},
                                       {"plu": "OPT-OLIVES", "title": "Olives", "price_cents": 100, "vat_pct": 10,
                                        "available": True}]}]},
                {"plu": "PIZ-DIAV", "title": "Diavola", "description": "Spicy salami", "price_cents": 1290,
                 "vat_pct": 10, "available": True, "sizes": [], "extra_groups": [
                     {"ref": "PIZ-CRUST", "title": "Crust", "min_pick": 1, "max_pick": 1, "max_same": 1, "extras": [
                         {"plu": "OPT-CRUST-THIN", "title": "Thin crust", "price_cents": 0, "vat_pct": 10,
                          "available": True},
                         {"plu": "OPT-CRUST-THICK", "title": "Thick crust", "price_cents": 100, "vat_pct": 10,
                          "available": True}]}]},
            ]},
            {"ref": "DRINKS", "title": "Drinks", "items": [
                {"plu": "DRK-COLA", "title": "Cola 33cl", "description": "", "price_cents": 250, "vat_pct": 10,
                 "available": True, "sizes": [], "extra_groups": []},
                {"plu": "DRK-WATER", "title": "Still water 50cl", "description": "", "price_cents": 180,
                 "vat_pct": 10, "available": True, "sizes": [], "extra_groups": []},
                {"plu": "DRK-BEER", "title": "Beer 33cl", "description": "", "price_cents": 320, "vat_pct": 21,
                 "available": True, "sizes": [], "extra_groups": []},
            ]},
            {"ref": "DESSERTS", "title": "Desserts", "items": [
                {"plu": "DES-TIRA", "title": "Tiramisu", "description": "House made", "price_cents": 550,
                 "vat_pct": 10, "available": True, "sizes": [], "extra_groups": []},
            ]},
        ],
    }],
}

NAMES = ("Ana G.", "Luis M.", "Marta P.", "Jorge R.", "Lucía F.", "Pablo S.", "Elena V.", "Sara T.", "Hugo B.")
STREETS = (("Calle de Alcalá 42", 40.4203, -3.6987), ("Gran Vía 18", 40.4199, -3.7021),
           ("Calle de Atocha 75", 40.4118, -3.6996), ("Calle Mayor 10", 40.4161, -3.7074),
           ("Paseo del Prado 20", 40.4128, -3.6930))
REMARKS = ("", "", "Ring twice", "3rd floor, door B", "Leave at the door")
COMMENTS = ("", "", "", "No onions please", "Extra napkins", "Allergic to nuts")


def orderable_items(menu: dict[str, Any]) -> list[dict[str, Any]]:
    """Available items of the carte menus (set menus only when there is no carte)."""
    menus = [m for m in menu.get("menus", []) if m.get("kind") == "CARTE"] or menu.get("menus", [])
    items = []
    for m in menus:
        for section in m["sections"]:
            for item in section["items"]:
                if not item.get("available", True):
                    continue
                if item.get("sizes") and not any(s.get("available", True) for s in item["sizes"]):
                    continue
                items.append(item)
    return items


def _extras(item: dict[str, Any], rng: random.Random, ref: str) -> list[dict[str, Any]]:
    chosen: list[dict[str, Any]] = []
    for group in item.get("extra_groups", []):
        options = [e for e in group["extras"] if e.get("available", True)]
        if not options:
            continue
        capacity = len(options) * group["max_same"]
        low = min(group["min_pick"], capacity)
        high = min(group["max_pick"], capacity)
        picks = low if low == high or rng.random() < 0.5 else rng.randint(low, high)
        counts: dict[str, int] = {}
        while sum(counts.values()) < picks:
            extra = rng.choice(options)
            if counts.get(extra["plu"], 0) < group["max_same"]:
                counts[extra["plu"]] = counts.get(extra["plu"], 0) + 1
        for extra in options:
            if extra["plu"] in counts:
                chosen.append({"line_ref": f"{ref}.{len(chosen) + 1}", "plu": extra["plu"], "title": extra["title"],
                               "qty": counts[extra["plu"]], "unit_cents": extra["price_cents"],
                               "vat_pct": extra["vat_pct"]})
    return chosen


def random_basket(menu: dict[str, Any], rng: random.Random | None = None) -> list[dict[str, Any]]:
    rng = rng or random.Random()
    items = orderable_items(menu)
    if not items:
        return []
    picked = rng.sample(items, k=min(len(items), rng.randint(1, 4)))
    basket = []
    for n, item in enumerate(picked, start=1):
        ref = f"L{n}"
        plu, title, unit = item["plu"], item["title"], item["price_cents"]
        sizes = [s for s in item.get("sizes", []) if s.get("available", True)]
        if sizes:
            size = rng.choice(sizes)
            plu, title, unit = size["plu"], f"{item['title']} ({size['title']})", size["price_cents"]
        basket.append({"line_ref": ref, "plu": plu, "title": title, "qty": rng.choice((1, 1, 1, 2, 2, 3)),
                       "unit_cents": unit, "vat_pct": item["vat_pct"], "extras": _extras(item, rng, ref)})
    return basket


def random_customer(rng: random.Random | None = None) -> dict[str, str]:
    rng = rng or random.Random()
    return {"display_name": rng.choice(NAMES), "phone": f"+34600{rng.randint(0, 999999):06d}"}


def random_drop_off(rng: random.Random | None = None) -> dict[str, Any]:
    rng = rng or random.Random()
    street, lat, lng = rng.choice(STREETS)
    return {"street": street, "city": "Madrid", "postcode": f"280{rng.randint(1, 50):02d}",
            "lat": round(lat + rng.uniform(-0.004, 0.004), 5), "lng": round(lng + rng.uniform(-0.004, 0.004), 5),
            "remarks": rng.choice(REMARKS)}


def random_comment(rng: random.Random | None = None) -> str:
    return (rng or random.Random()).choice(COMMENTS)


def pickup_code(rng: random.Random | None = None) -> str:
    """Short and deliberately not unique, like real channels' display codes."""
    rng = rng or random.Random()
    return rng.choice(string.ascii_uppercase) + str(rng.randint(0, 9))
