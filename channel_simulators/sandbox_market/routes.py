"""The market over HTTP: its route table, and the kit App that words every refusal in the market's shape."""

from __future__ import annotations

from typing import Any

from ..kit.app import App, Handler, Route, route
from ..kit.http import Request, Response
from . import api, control, errors, page
from .app import Market

ROUTES: list[Route] = [route("GET", "/", page.index), *control.ROUTES, *api.ROUTES]


class MarketApp(App):
    name = "sandbox_market"
    server_version = "SandboxMarket/2"
    routes = ROUTES

    def __init__(self, market: Market) -> None:
        self.market = market

    def error_body(self, code: str, message: str) -> Any:
        return errors.body(code, message)

    def dispatch(self, handler: Handler, request: Request, params: dict[str, str]) -> Response:
        """Market handlers are plain functions of the market's state and the request."""
        return handler(self.market, request, **params)

    def start(self) -> None:
        self.market.start()

    def close(self) -> None:
        self.market.close()
