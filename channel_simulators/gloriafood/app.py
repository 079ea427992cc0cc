"""The GloriaFood dialect: the Accepted Orders API's push (v2), with its documented duplicate.

A restaurant is registered with its ``restaurant_key``, the integrator's ``master_key`` and the endpoint pushes
go to (``POST /_control/restaurants``). ``POST /_control/orders {"restaurant_key", "fixture"}`` accepts one of
the corpus' pushes for it and POSTs it, JSON, with the master key in ``Authorization`` ('By default we send a
master key alongside each request in the "Authorization" header'), retried until a 2xx; ``"twice": true`` sends
the same push again, as the docs warn may happen ('two notifications for the same order').
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from ..kit.app import route
from ..kit.dialect import DialectSimulator
from ..kit.http import HttpError, Request, Response
from .orders import DEFAULT_FIXTURE, build_push, push_fixtures


class GloriaFoodSimulator(DialectSimulator):
    name = "gloriafood"

    def __init__(self) -> None:
        super().__init__([
            route("POST", "/_control/restaurants", self.register_restaurant),
            route("POST", "/_control/orders", self.accept_order),
        ])

    def wipe(self) -> None:
        super().wipe()
        self.restaurants: dict[str, dict[str, Any]] = {}

    def register_restaurant(self, request: Request) -> Response:
        with self.lock:
            body = request.json(empty={})
            for key in ("restaurant_key", "master_key", "webhook_url"):
                if not isinstance(body.get(key), str) or not body[key]:
                    raise HttpError(400, {"error": f"{key} is required"})
            self.restaurants[body["restaurant_key"]] = {key: body[key] for key in
                                                        ("restaurant_key", "master_key", "webhook_url")}
            return Response(201, {"restaurant_key": body["restaurant_key"]})

    def accept_order(self, request: Request) -> Response:
        with self.lock:
            body = request.json(empty={})
            restaurant = self.restaurants.get(body.get("restaurant_key", ""))
            if restaurant is None:
                raise HttpError(404, {"error": "no such restaurant"})
            fixture = body.get("fixture", DEFAULT_FIXTURE)
            if fixture not in push_fixtures():
                raise HttpError(400, {"error": f"fixture must be one of {', '.join(push_fixtures())}"})
            push = build_push(fixture, restaurant["restaurant_key"], datetime.now(UTC))
            raw = json.dumps(push).encode()
            ids = ",".join(str(order["id"]) for order in push["orders"])
            for copy in range(2 if body.get("twice") else 1):
                self.sender.send(restaurant["webhook_url"], raw, {"Authorization": restaurant["master_key"]},
                                 f"{ids}:{copy}")
            self.record("push", restaurant["restaurant_key"], push)
            return Response(201, push)
