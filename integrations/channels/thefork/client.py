"""Outbound: TheFork's B2B API with an Auth0 client-credentials token.

Token (docs.thefork.io/B2B-API/authentication): ``POST https://auth.thefork.io/oauth/token`` with
``audience=https://api.thefork.io``, ``grant_type=client_credentials``, ``client_id``, ``client_secret``; it
lasts 8600 s and "please do not request a new token if the previous is not expired": it is cached in the
platform's token store under ``thefork:<client_id>``, shared by every worker, and refreshed a minute before it
expires (or after a 401). Calls go to ``https://api.thefork.io/manager/v1/...`` with ``Authorization: Bearer``.
Errors are ``{"data": {"code"}, "error", "statusCode"}``.

Operations: the reservation (``GET /v1/reservations/{id}``) with its customer (``GET /v1/customers/{id}``),
its status (the same GET), and a cancellation (``PATCH /v1/reservations/{id}/cancel``, no body). Nothing else
can be posted: the pages document no call to confirm, refuse, seat or mark a no-show.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from canonical import CanonicalOrder, ChannelStatus, OrderRef, OrderStatus, StatusUpdate
from integrations.channels.base import ChannelClient
from integrations.channels.errors import UnmappedStatus
from integrations.channels.payloads import tracked
from integrations.http import ChannelHttp, OAuth2ClientCredentials, PermanentChannelError, default_error_parser

from .translate import reservation_to_canonical, restaurant_of

TOKEN_URL = "https://auth.thefork.io/oauth/token"
AUDIENCE = "https://api.thefork.io"
TOKEN_SECONDS = 8600.0


def thefork_error(response: requests.Response) -> tuple[str | None, str]:
    """``{"data": {"code": "RESERVATION_NOT_FOUND"}, "error": "Not Found", "statusCode": 404}``."""
    try:
        data: Any = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("data"), dict) and data.get("error"):
        code = data["data"].get("code")
        return (str(code) if code else None), str(data["error"]) + (f" ({code})" if code else "")
    return default_error_parser(response)


class TheForkClient(ChannelClient):
    _http: ChannelHttp | None = None

    @property
    def http(self) -> ChannelHttp:
        if self._http is None:
            base = self.module.base_url(self.connection).rstrip("/")
            credentials = self.connection.credentials
            token_url = TOKEN_URL
            if self.connection.base_url:  # a proxy or our simulator serves the token endpoint at its root
                parts = urlsplit(base)
                token_url = f"{parts.scheme}://{parts.netloc}/oauth/token"
            auth = OAuth2ClientCredentials(
                token_url,
                credentials.client_id,
                credentials.client_secret.get_secret_value(),
                token_store=self.transport.token_store,
                cache_key=f"thefork:{credentials.client_id}",
                extra_params={"audience": AUDIENCE},
                default_expires_in=TOKEN_SECONDS,
            )
            self._http = self.transport.http(base, auth=auth, error_parser=thefork_error)
        return self._http

    def _reservation(self, reservation_id: str, operation: str) -> tuple[Any, Any]:
        raw = self.http.get(f"/v1/reservations/{reservation_id}", operation=operation).json()
        return tracked(raw), raw

    def get_order(self, channel_order_id: str) -> CanonicalOrder:
        """The reservation, and its customer when it names one (the reservation holds only the customer's uuid)."""
        data, raw = self._reservation(channel_order_id, "get_order")
        restaurant = restaurant_of(data)
        if restaurant and self.connection.store_id and restaurant != self.connection.store_id:
            raise PermanentChannelError(f"reservation {channel_order_id} is for another TheFork restaurant "
                                        f"({restaurant}), not this connection's", operation="get_order")
        customer = raw_customer = None
        customer_id = data.get("customerUuid")
        if customer_id:
            raw_customer = self.http.get(f"/v1/customers/{customer_id}", operation="get_customer").json()
            customer = tracked(raw_customer)
        return reservation_to_canonical(data, customer, self.connection.currency, fetched_at=datetime.now(UTC),
                                        raw=raw, raw_customer=raw_customer)

    def get_order_status(self, order: OrderRef) -> ChannelStatus:
        data, _raw = self._reservation(order.channel_order_id, "get_order_status")
        code = str(data["status"])
        return ChannelStatus(channel_order_id=order.channel_order_id, channel_status=code,
                             status=self.module.to_canonical_status(code, order.service_type))

    def set_order_status(self, order: OrderRef, update: StatusUpdate) -> None:
        if update.status != OrderStatus.CANCELLED:
            raise UnmappedStatus(f"TheFork takes no {update.status} status: its B2B API can only cancel a "
                                 "reservation (confirming, refusing, seating and no-shows are done in TheFork Manager)")
        # The page takes no body and no reason: the restaurant's reason stays in our history.
        try:
            self.http.patch(f"/v1/reservations/{order.channel_order_id}/cancel", operation="set_order_status")
        except PermanentChannelError as exc:
            # A retry of a cancel that went through but whose answer was lost meets CANCELLATION_ERROR: the
            # reservation is cancelled already, which is what was asked. Anything else stays an error.
            if exc.channel_code != "CANCELLATION_ERROR" or self.get_order_status(order).channel_status != "CANCELED":
                raise
