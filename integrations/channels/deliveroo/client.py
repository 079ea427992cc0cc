"""Outbound: Deliveroo's Order, Menu and Site APIs with an OAuth2 client-credentials token (5 minutes).

The token is cached in the platform's token store under ``deliveroo:<client_id>`` (every worker shares one),
refreshed 30 s before it expires and dropped on a 401 (the call is retried once). The token request sends the
client id and secret as HTTP Basic (the Authentication guide's "Exchange request should contain Basic
authorization with value client_id:client_secret Base64 encoded"). Errors are ``{"error": {code, message}}``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import requests

from canonical import (
    Availability,
    CanonicalCatalog,
    ItemUpdate,
    OrderRef,
    OrderStatus,
    PauseRequest,
    PublishResult,
    PublishState,
    ServiceType,
    StatusUpdate,
)
from integrations.channels.base import ChannelClient
from integrations.channels.errors import UnmappedStatus
from integrations.http import ChannelHttp, OAuth2ClientCredentials, PermanentChannelError

from .hours import days_off, days_off_changes, weekly_hours
from .menu import catalog_to_menu
from .vocabulary import ITEM_AVAILABLE, ITEM_UNAVAILABLE, PREP_STAGES, REJECT_REASONS, SITE_CLOSED, SITE_OPEN

DAYS_OFF_PAGE, MAX_DAYS_OFF_PAGES = 50, 20
TOKEN_URLS = {"sandbox": "https://auth-sandbox.developers.deliveroo.com/oauth2/token",
              "production": "https://auth.developers.deliveroo.com/oauth2/token"}


def _error(response: requests.Response) -> tuple[str | None, str]:
    """``{"error": {"code", "message"}}`` (Site API Errors), passed on so staff read Deliveroo's words."""
    try:
        data = response.json()
    except ValueError:
        return None, response.text[:300]
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        return error.get("code"), str(error.get("message") or "")
    return None, str(data)[:300]


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class DeliverooClient(ChannelClient):
    _http: ChannelHttp | None = None

    @property
    def http(self) -> ChannelHttp:
        if self._http is None:
            base = self.module.base_url(self.connection).rstrip("/")
            credentials = self.connection.credentials
            # A base URL override (a sandbox proxy or our simulator) serves the token endpoint too.
            token_url = f"{base}/oauth2/token" if self.connection.base_url else TOKEN_URLS[self.connection.environment]
            auth = OAuth2ClientCredentials(
                token_url, credentials.client_id, credentials.client_secret.get_secret_value(),
                token_store=self.transport.token_store, cache_key=f"deliveroo:{credentials.client_id}",
                refresh_margin_seconds=30.0, client_auth="basic", default_expires_in=300.0,
            )
            self._http = self.transport.http(base, auth=auth, error_parser=_error)
        return self._http

    @property
    def _site(self) -> str:
        credentials = self.connection.credentials
        return f"/site/v1/brands/{credentials.brand_id}/sites/{self.connection.store_id}"

    # --- orders ----------------------------------------------------------------------

    def set_order_status(self, order: OrderRef, update: StatusUpdate) -> None:
        path = f"/order/v1/orders/{order.channel_order_id}"
        status = update.status
        if status == OrderStatus.ACCEPTED:
            self.http.patch(path, operation="set_order_status", json={"status": "accepted"})
        elif status == OrderStatus.REJECTED:
            code = REJECT_REASONS.get(update.reason_code, "other") if update.reason_code else "other"
            body: dict[str, Any] = {"status": "rejected", "reject_reason": code}
            if update.reason:
                body["notes"] = update.reason
            self.http.patch(path, operation="set_order_status", json=body)
        elif status == OrderStatus.PREPARING and order.scheduled:
            # "accepted => confirmed: Site confirms an order and is starting to prepare it. Only applies to
            # scheduled order type." The platform sends it before the order's confirm-by time.
            self.http.patch(path, operation="set_order_status", json={"status": "confirmed"})
        elif status in PREP_STAGES:
            occurred = update.occurred_at or datetime.now(UTC)
            self.http.post(f"{path}/prep_stage", operation="set_prep_stage",
                           json={"stage": PREP_STAGES[status], "occurred_at": _utc(occurred)})
        else:
            raise UnmappedStatus(f"Deliveroo takes no {status} status (accept, reject, confirm a scheduled order, "
                                 "and the kitchen's prep stages)")

    # --- menu ---------------------------------------------------------------------------

    def publish_catalog(self, catalog: CanonicalCatalog) -> PublishResult:
        credentials = self.connection.credentials
        self.http.put(f"/menu/v1/brands/{credentials.brand_id}/menus/{credentials.menu_id}",
                      operation="publish_catalog",
                      json=catalog_to_menu(catalog, credentials.menu_name, self.connection.store_id))
        # Deliveroo takes the upload at once and tells its result later by the Menu webhook (webhooks.py): the
        # publish job waits for it, matched by the menu id (``publish_result_by_webhook``).
        return PublishResult(state=PublishState.PROCESSING, transaction_id=credentials.menu_id)

    def update_catalog_items(self, updates: list[ItemUpdate]) -> PublishResult:
        """Only availability: ``POST …/item_unavailabilities/{site}`` changes the items listed, leaves the rest."""
        if any(update.price is not None or update.name is not None for update in updates):
            raise PermanentChannelError("Deliveroo changes a price or a name only by a menu upload: publish the "
                                        "full menu instead", operation="update_catalog_items")
        listed = [{"item_id": update.sku, "status": ITEM_AVAILABLE if update.available else ITEM_UNAVAILABLE}
                  for update in updates if update.available is not None]
        if listed:
            credentials = self.connection.credentials
            self.http.post(f"/menu/v1/brands/{credentials.brand_id}/menus/{credentials.menu_id}"
                           f"/item_unavailabilities/{self.connection.store_id}",
                           operation="update_catalog_items", json={"item_unavailabilities": listed})
        return PublishResult(state=PublishState.DONE)

    # --- site ---------------------------------------------------------------------------

    def set_opening_hours(self, availability: Availability) -> None:
        """The site's days off reconciled with the closed exceptions (hours.py): the stale ones cancelled first, then
        the weekly hours (each call overwrites all), then each missing day off added as a record of its own.

        A retry after a partial run lists again and sends only what is still missing: nothing doubles."""
        changes = days_off_changes(days_off(availability), self._upcoming_days_off())
        for days_off_id in changes.cancel:
            self.http.delete(f"{self._site}/days_off/{days_off_id}", operation="cancel_day_off")
        self.http.post(f"{self._site}/opening_hours", operation="set_opening_hours", json=weekly_hours(availability))
        for day in changes.add:
            self.http.post(f"{self._site}/days_off", operation="add_day_off", json=day)

    def _upcoming_days_off(self) -> list[dict[str, Any]]:
        """``GET …/days_off?upcoming=true`` page by page (at most 50 a page). The listing's envelope is not in the
        stored pages: a JSON array, or an object holding the array under ``days_off``; anything else is refused
        (adding blindly would double the days off again). An empty answer is no days off."""
        listed: list[dict[str, Any]] = []
        for page in range(1, MAX_DAYS_OFF_PAGES + 1):
            response = self.http.get(f"{self._site}/days_off", operation="list_days_off",
                                     params={"upcoming": "true", "page_size": DAYS_OFF_PAGE, "page_number": page})
            data = response.json() if response.content.strip() else []
            records = data.get("days_off") if isinstance(data, dict) else data
            if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
                raise PermanentChannelError("Deliveroo's list of days off came in an unknown shape: "
                                            f"{str(data)[:200]}", operation="list_days_off")
            listed += records
            if len(records) < DAYS_OFF_PAGE:
                return listed
        raise PermanentChannelError(f"Deliveroo lists more than {MAX_DAYS_OFF_PAGES * DAYS_OFF_PAGE} upcoming days "
                                    "off for the site: not reconciled", operation="list_days_off")

    def pause(self, pause: PauseRequest) -> None:
        """Site status CLOSED. Deliveroo's status has no end time: the platform resumes at a pause's end
        (``pause_takes_until`` False)."""
        self.http.put(f"{self._site}/status", operation="pause", json={"status": SITE_CLOSED})

    def resume(self, service_type: ServiceType | None = None) -> None:
        self.http.put(f"{self._site}/status", operation="resume", json={"status": SITE_OPEN})
