"""Outbound: the Glovo Partners API under ``/webhook/stores/{storeId}``, static token in ``Authorization`` as-is."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from canonical import (
    CanonicalCatalog,
    ItemKind,
    ItemUpdate,
    OrderRef,
    PauseRequest,
    PublishResult,
    PublishState,
    ServiceType,
    StatusUpdate,
)
from integrations.channels.base import ChannelClient
from integrations.http import ChannelHttp, PermanentChannelError, StaticToken

from .menu import catalog_to_menu, item_update_to_patch

MENU_FILE_TTL = timedelta(days=1)
"""How long the menu file stays downloadable: Glovo fetches it while the upload is processed (minutes); a day
leaves room for a slow queue on Glovo's side without keeping old menus around."""

UPLOAD_STATES = {"PROCESSING": PublishState.PROCESSING, "SUCCESS": PublishState.DONE}
"""``MenuUploadStatus`` (docs/MenuApi.md, 3P copy): every other documented value is a failure, named below."""
UPLOAD_FAILURES = {
    "FETCH_MENU_INVALID_PAYLOAD": "Glovo could not read the menu file (invalid payload)",
    "FETCH_MENU_SERVER_ERROR": "Glovo could not download the menu file (our server answered an error)",
    "FETCH_MENU_UNAUTHORIZED": "Glovo was refused the menu file (authorization)",
    "NOT_PROCESSED": "Glovo did not process the menu",
    "LIMIT_EXCEEDED": "more than 5 menu uploads today for this store",
    "GLOVO_ERROR": "Glovo failed while updating; no changes were made",
}


class GlovoClient(ChannelClient):
    _http: ChannelHttp | None = None

    @property
    def http(self) -> ChannelHttp:
        if self._http is None:
            base = self.module.base_url(self.connection).rstrip("/")
            token = self.connection.credentials.api_token.get_secret_value()
            self._http = self.transport.http(f"{base}/webhook/stores/{self.connection.store_id}",
                                             auth=StaticToken(token, header="Authorization"))
        return self._http

    def set_order_status(self, order: OrderRef, update: StatusUpdate) -> None:
        """``PUT …/orders/{orderId}/status`` (docs/OrdersApi.md); which status for which fulfilment: module.py."""
        status = self.module.to_channel_status(update.status, order.service_type)
        self.http.put(f"/orders/{order.channel_order_id}/status", operation="set_order_status",
                      json={"status": status})

    def publish_catalog(self, catalog: CanonicalCatalog) -> PublishResult:
        """``POST …/menu`` with ``{"menu_url"}`` (docs/StoreIdMenuBody.md): "URL to a JSON resource" Glovo downloads
        "sending the header Authorization: Bearer your-secret-token". The platform hosts the menu file for a day;
        the download needs the Bearer token when the connection has ``menu_download_token`` configured."""
        store_id = self.connection.store_id
        menu = json.dumps(catalog_to_menu(catalog), ensure_ascii=False).encode()
        token = self.connection.credentials.menu_download_token
        menu_url = self.transport.host_document(
            f"glovo/menus/{store_id}.json", menu, "application/json", ttl=MENU_FILE_TTL,
            bearer_token=token.get_secret_value() if token is not None else None,
        )
        data = self.http.post("/menu", operation="publish_catalog", json={"menu_url": menu_url}).json()
        return PublishResult(state=PublishState.PROCESSING, transaction_id=str(data["transaction_id"]))

    def get_publish_result(self, transaction_id: str) -> PublishResult:
        data = self.http.get(f"/menu/{transaction_id}", operation="get_publish_result").json()
        status = str(data.get("status") or "")
        state = UPLOAD_STATES.get(status, PublishState.FAILED)
        errors = _errors(data)
        if state == PublishState.FAILED and not errors:
            errors = (f"{status}: {UPLOAD_FAILURES.get(status, 'not a status Glovo documents')}",)
        return PublishResult(state=state, transaction_id=transaction_id, errors=errors)

    def update_catalog_items(self, updates: list[ItemUpdate]) -> PublishResult:
        """``PATCH …/products/{id}`` or ``…/attributes/{id}`` per item (docs/MenuItemsApi.md). Every body is built
        before the first call, so an update Glovo cannot take (a variant's price, a rename) changes nothing."""
        patches = []
        for update in updates:
            if update.kind == ItemKind.VARIANT and update.price is not None:
                raise PermanentChannelError(
                    "Glovo prices a variant as a difference to its product: publish the full menu instead",
                    operation="update_catalog_item",
                )
            collection, patch = item_update_to_patch(update)
            if patch:
                patches.append((f"/{collection}/{update.sku}", patch))
        for path, patch in patches:
            self.http.patch(path, operation="update_catalog_item", json=patch)
        return PublishResult(state=PublishState.DONE)

    def pause(self, pause: PauseRequest) -> None:
        if pause.until is None:
            raise PermanentChannelError("Glovo closes a store temporarily only until a given time", operation="pause")
        self.http.put("/closing", operation="pause", json={"until": pause.until.isoformat().replace("+00:00", "Z")})

    def resume(self, service_type: ServiceType | None = None) -> None:
        self.http.delete("/closing", operation="resume")


def _errors(data: dict[str, Any]) -> tuple[str, ...]:
    """Glovo's ``details``: strings or ``{message}`` objects, passed on verbatim so staff see Glovo's words."""
    found = []
    for detail in data.get("details") or ():
        found.append(detail.get("message", str(detail)) if isinstance(detail, dict) else str(detail))
    return tuple(found)
