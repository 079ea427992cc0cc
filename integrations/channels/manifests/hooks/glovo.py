"""Glovo's hooks for its manifest (``integrations/channels/glovo/manifest.yaml``).

Here while ``integrations/channels/glovo/`` is the hand-written module's package (another engineer's); it moves
beside the manifest if the manifest replaces the module. The menu document itself is the module's own pure
``menu.catalog_to_menu`` / ``menu.item_update_to_patch``, named by the manifest, not copied.
"""

from __future__ import annotations

from typing import Any

from canonical import ItemKind, ItemUpdate, PublishResult, PublishState
from integrations.channels.glovo.menu import item_update_to_patch
from integrations.http import PermanentChannelError


def update_catalog_items(client: Any, updates: list[ItemUpdate]) -> PublishResult:
    """``PATCH …/products/{id}`` or ``…/attributes/{id}`` per item (MenuItemsApi.md): the collection and the body
    depend on the item's kind, and a variant's price cannot be patched (Glovo prices it against its product)."""
    for update in updates:
        if update.kind == ItemKind.VARIANT and update.price is not None:
            raise PermanentChannelError(
                "Glovo prices a variant as a difference to its product: publish the full menu instead",
                operation="update_catalog_item",
            )
        collection, patch = item_update_to_patch(update)
        if patch:
            client.http.patch(f"/{collection}/{update.sku}", operation="update_catalog_item", json=patch)
    return PublishResult(state=PublishState.DONE)
