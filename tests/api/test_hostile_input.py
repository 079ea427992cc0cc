"""Every malformed input to the POS API gets the API's JSON error (4xx), never a 500 or Django's HTML page."""

from __future__ import annotations

import base64

import pytest


def _assert_api_error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def test_a_body_nested_thousands_deep_is_a_parse_error(pos):
    deep = "[" * 6000 + "]" * 6000
    response = pos.client.put(
        f"/api/v1/restaurants/{pos.restaurant.pk}/catalog", deep, content_type="application/json"
    )
    error = _assert_api_error(response, 400)
    assert error["code"] == "parse_error"
    assert "nested" in error["message"]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!!",
        base64.b64encode(b"o=0&p=\x00").decode(),
        base64.b64encode(b"p=2026-99-99").decode(),
        base64.b64encode(b"o=-5&r=1&p=x").decode(),
        base64.b64encode("p=\ud800".encode("utf-8", "surrogatepass")).decode(),
        base64.b64encode(b"o=99999999999999999999999&p=1").decode(),
    ],
    ids=["not base64", "nul", "bad date", "negative offset", "lone surrogate", "huge offset"],
)
def test_crafted_pagination_cursors_are_refused_as_invalid(pos, order, cursor):
    response = pos.client.get("/api/v1/orders", {"cursor": cursor})
    error = _assert_api_error(response, 404)
    assert error["code"] == "not_found"
    assert "cursor" in error["message"].lower()


@pytest.mark.parametrize("sku", ["PIZ%00MARG", "%00", "PIZ%ED%A0%80"], ids=["nul", "only nul", "lone surrogate"])
def test_a_sku_path_with_nul_or_surrogate_is_not_found(pos, sku):
    for suffix in ("", "/snooze"):
        response = pos.client.get(f"/api/v1/restaurants/{pos.restaurant.pk}/catalog/items/{sku}{suffix}")
        assert response.status_code in (400, 404, 405)
        if response.status_code != 405:
            _assert_api_error(response, response.status_code)


@pytest.mark.parametrize("path", ["catalog", "availability/weekly-hours", "availability", "availability/pause"])
def test_options_on_every_path_answers_without_error(pos, path):
    response = pos.client.options(f"/api/v1/restaurants/{pos.restaurant.pk}/{path}")
    assert response.status_code == 200, response.content[:300]
    assert response["Allow"]


@pytest.mark.parametrize("path", ["nothing-here", "orders/abc", "restaurants/1/nope", "orders/1/status/extra"])
def test_unknown_paths_under_the_api_answer_the_api_error_shape(pos, path):
    error = _assert_api_error(pos.client.get(f"/api/v1/{path}"), 404)
    assert error["code"] == "not_found"


def test_unknown_paths_need_no_key_to_get_the_json_404(db):
    from rest_framework.test import APIClient

    _assert_api_error(APIClient().get("/api/v1/nothing-here"), 404)


def test_text_no_column_can_hold_is_refused_where_it_is(pos):
    body = '{"products": [{"sku": "A", "name": "Caf\\u00e9 \\u0000 con leche"}]}'
    error = _assert_api_error(
        pos.client.put(f"/api/v1/restaurants/{pos.restaurant.pk}/catalog", body, content_type="application/json"), 400
    )
    assert error["message"] == "The value at products.0.name contains a NUL character."

    error = _assert_api_error(pos.client.get("/api/v1/orders", {"status": "accepted\x00"}), 400)
    assert error["fields"] == {"status": ["The parameter contains a NUL character."]}


HOSTILE_BODIES = [
    "[" * 6000 + "]" * 6000,
    '{"a":' * 3000 + "1" + "}" * 3000,
    '{"sku": "\\u0000", "name": "\\ud800", "price": "1e999999"}',
    '{"\\u0000": 1}',
    '{"status": "accepted", "reason": "\\udfff"}',
    '{"lat": 1e400, "lng": -1e400, "at": "9999-99-99T99:99:99Z"}',
    "not json at all \x00",
    "",
    "[]",
    "null",
    '"just a string"',
    '{"menus": [{"name": "' + "x" * 70000 + '"}]}',
]
METHODS = ["get", "post", "put", "patch", "delete", "options", "head"]


def _every_api_path(pos, order) -> list[str]:
    from django.urls import URLPattern, get_resolver

    values = {"pk": pos.restaurant.pk, "sku": "PIZ-MARG", "exception_id": 1}
    api = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")
    paths = []
    for pattern in api.url_patterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        if not route or route.startswith(("schema", "docs")):
            continue
        kwargs = {name: (order.pk if route.startswith(("orders", "reservations")) else values[name])
                  for name in pattern.pattern.converters}
        for name, value in kwargs.items():
            route = route.replace(f"<int:{name}>", str(value)).replace(f"<str:{name}>", str(value))
        paths.append("/api/v1/" + route)
    return paths


def test_no_operation_answers_5xx_to_any_method_and_hostile_body(pos, order):
    paths = _every_api_path(pos, order)
    assert len(paths) >= 18  # every route of api/urls.py, the catch-all aside
    seen = set()
    for path in paths + [path + "%00" for path in paths[:3]]:
        for method in METHODS:
            for body in HOSTILE_BODIES if method in ("post", "put", "patch") else [None]:
                call = getattr(pos.client, method)
                response = call(path, body, content_type="application/json") if body is not None else call(path)
                assert response.status_code < 500, (method, path, (body or "")[:60], response.content[:200])
                seen.add(response.status_code)
    assert {200, 400, 405} <= seen
