"""Glovo's single-item PATCH bodies are ModifyProduct / ModifyAttribute (docs/MenuItemsApi.md, 3P copy of the spec).

The documented requests themselves are corpus fixtures (``request_modify_product``, ``request_modify_attribute``);
these tests hold what the corpus cannot show: an update Glovo's PATCH cannot carry is refused before any call.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import SecretStr

from canonical import ItemKind, ItemUpdate
from integrations.channels.context import ConnectionInfo
from integrations.channels.glovo.module import GlovoCredentials, Module
from integrations.channels.recording import RecordingTransport
from integrations.http import PermanentChannelError


def client(transport: RecordingTransport):
    connection = ConnectionInfo(connection_id=2, store_id="sinqro-bcn-001", environment="production", base_url="",
                                credentials=GlovoCredentials(api_token=SecretStr("api"), webhook_token=SecretStr("wh")))
    return Module().client(connection, transport)


def test_a_rename_is_refused_not_sent_as_a_field_modify_product_does_not_have():
    transport = RecordingTransport()

    with pytest.raises(PermanentChannelError, match="publish the full menu to rename"):
        client(transport).update_catalog_items([ItemUpdate(kind=ItemKind.PRODUCT, sku="pizza-margherita",
                                                           name="Pizza Margherita", price=Decimal("14.50"))])

    assert transport.channel_requests() == []


def test_nothing_is_patched_when_a_later_update_of_the_batch_cannot_be():
    transport = RecordingTransport()
    updates = [ItemUpdate(kind=ItemKind.PRODUCT, sku="pizza-margherita", available=False),
               ItemUpdate(kind=ItemKind.VARIANT, sku="pizza-margherita-large", price=Decimal("17.00"))]

    with pytest.raises(PermanentChannelError, match="variant"):
        client(transport).update_catalog_items(updates)

    assert transport.channel_requests() == []


def test_a_product_and_an_option_take_their_own_collection_and_price_field():
    transport = RecordingTransport()

    client(transport).update_catalog_items([
        ItemUpdate(kind=ItemKind.PRODUCT, sku="pizza-margherita", price=Decimal("14.50")),
        ItemUpdate(kind=ItemKind.OPTION, sku="extra-mozzarella", available=True),
    ])

    sent = [(r.method, r.url.rsplit("/sinqro-bcn-001", 1)[1], r.json()) for r in transport.channel_requests()]
    assert sent == [("PATCH", "/products/pizza-margherita", {"price": 14.5}),
                    ("PATCH", "/attributes/extra-mozzarella", {"available": True})]
