"""The payload seam: plain JSON in production, a record of what was read under the contract kit."""

from __future__ import annotations

import json

from integrations.channels.payloads import account_for, covers, field_paths, read_json, reading, tracked

BODY = json.dumps({
    "id": "o-1",
    "eater": {"first_name": "Alex", "phone": "+1 312"},
    "cart": {"items": [{"title": "Salad", "removed_items": [{"title": "Croutons"}], "price": {"amount": 800}}]},
    "notes": None,
})


def test_outside_the_kit_a_payload_is_plain_json():
    data = read_json(BODY)

    assert type(data) is dict and type(data["cart"]["items"]) is list
    assert tracked(data) is data


def test_under_the_kit_each_key_path_read_is_recorded_with_brackets_for_list_items():
    with reading() as log:
        data = read_json(BODY)
        data["id"]
        data.get("eater").get("first_name")
        for item in data["cart"]["items"]:
            item["price"]["amount"]

    assert log.paths >= {"id", "eater.first_name", "cart.items[]", "cart.items[].price.amount"}
    assert "eater.phone" not in log.paths and "cart.items[].title" not in log.paths


def test_asking_whether_a_key_is_there_reads_nothing_but_copying_reads_everything():
    with reading() as log:
        data = read_json(BODY)
        assert "notes" in data
        dict(data["eater"])

    assert "notes" not in log.paths
    assert {"eater.first_name", "eater.phone"} <= log.paths


def test_a_tracked_payload_is_still_a_dict_and_a_list_for_the_module():
    with reading():
        data = read_json(BODY)
        items = data["cart"]["items"]

        assert isinstance(data, dict) and isinstance(items, list)
        assert data == json.loads(BODY) and len(items) == 1 and items[0]["title"] == "Salad"


def test_field_paths_are_the_leaves_null_and_empty_ones_included():
    paths = field_paths({"a": {"b": 1, "c": None}, "d": [], "e": [{"f": "x"}], "g": {}})

    assert paths == {"a.b", "a.c", "d", "e[].f", "g"}


def test_a_declared_path_covers_its_descendants_and_wildcards_cover_any_depth():
    assert covers("store", "store.id")
    assert covers("eaters", "eaters[].first_name")
    assert covers("**.formatted_amount", "cart.items[].price.unit_price.formatted_amount")
    assert covers("cart.*.title", "cart.items[].title")
    assert not covers("store", "stored")
    assert not covers("cart.items[].title", "cart.items[].price")


def test_every_field_is_read_ignored_or_a_known_gap_and_a_stale_ignore_is_reported():
    payload = json.loads(BODY)
    read = {"id", "eater.first_name", "cart.items[].title", "notes"}

    account = account_for(payload, read, ignored={"notes": "never sent"},
                          known_gaps={"**.removed_items": "removals are dropped"})

    assert account.unaccounted == ("cart.items[].price.amount", "eater.phone")
    assert account.known_gaps == ("cart.items[].removed_items[].title",)
    assert account.ignored_but_read == ("notes",)
