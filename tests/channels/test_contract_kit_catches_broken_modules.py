"""The kit is only worth something if it fails: deliberately broken modules must fail it, clearly."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from canonical import OrderStatus
from integrations.channels.base import ChannelClient, ChannelModule
from integrations.channels.checks import check_module
from integrations.channels.credentials import ChannelCredentials
from integrations.channels.features import (
    CatalogMode,
    Features,
    NotSupported,
    PostStatusOptions,
    PublishCatalogOptions,
    Supported,
    WebhookNewOrderOptions,
)
from integrations.channels.statuses import StatusMap
from integrations.channels.testkit import ChannelModuleContract

from . import test_sandbox_market_contract as sandbox_contract


class TokenCredentials(ChannelCredentials):
    token: SecretStr


class HalfClient(ChannelClient):
    def get_order(self, channel_order_id):  # implemented; the rest is not
        raise NotImplementedError


def features(**overrides) -> Features:
    base = dict(
        get_order=Supported(),
        get_status=NotSupported("no status endpoint"),
        publish_catalog=NotSupported("menus are managed by hand"),
        post_status=NotSupported("read only"),
        post_delivery_location=NotSupported("platform couriers only"),
        post_availability=NotSupported("no hours API"),
        webhook_new_order=NotSupported("polling only"),
        webhook_status_changed=NotSupported("polling only"),
    )
    base.update(overrides)
    return Features(**base)


def broken_module(**attrs) -> type[ChannelModule]:
    namespace = dict(
        slug="broken",
        name="Broken",
        credentials=TokenCredentials,
        order_statuses=StatusMap(inbound={"NEW": OrderStatus.RECEIVED}),
        client_class=HalfClient,
        features=features(),
    )
    namespace.update(attrs)
    return type("BrokenModule", (ChannelModule,), namespace)


def test_a_consistent_minimal_module_passes():
    assert check_module(broken_module()) == []


def test_declared_feature_without_implementation_is_named():
    module = broken_module(
        features=features(
            post_status=Supported(PostStatusOptions(statuses=frozenset({OrderStatus.ACCEPTED}))),
            publish_catalog=Supported(PublishCatalogOptions(mode=CatalogMode.FULL_AND_PARTIAL, asynchronous=True)),
        ),
        order_statuses=StatusMap(inbound={"NEW": OrderStatus.RECEIVED}, outbound={OrderStatus.ACCEPTED: "OK"}),
    )

    problems = check_module(module)

    assert "post_status is declared Supported but client.set_order_status() is not implemented" in problems
    assert "publish_catalog is declared Supported but client.publish_catalog() is not implemented" in problems
    assert "publish_catalog is declared Supported but client.update_catalog_items() is not implemented" in problems
    assert "publish_catalog is declared Supported but client.get_publish_result() is not implemented" in problems


def test_unmapped_postable_status_is_named():
    module = broken_module(
        features=features(post_status=Supported(PostStatusOptions(statuses=frozenset({OrderStatus.READY})))),
    )

    problems = check_module(module)

    assert "post_status declares ready but no status map has an outbound code for it" in problems


def test_inbound_code_mapped_to_a_non_canonical_status_is_named():
    module = broken_module(order_statuses=StatusMap(inbound={"NEW": "brand_new"}))

    assert any("'NEW' maps to 'brand_new', not a canonical OrderStatus" in p for p in check_module(module))


def test_round_trip_mismatch_is_named():
    module = broken_module(
        order_statuses=StatusMap(
            inbound={"DONE": OrderStatus.DELIVERED}, outbound={OrderStatus.READY: "DONE"}
        )
    )

    assert any("round trip" in problem for problem in check_module(module))


def test_thin_webhook_without_get_order_is_named():
    module = broken_module(
        features=features(
            get_order=NotSupported("none"), webhook_new_order=Supported(WebhookNewOrderOptions(thin=True))
        ),
    )

    problems = check_module(module)

    assert "webhook_new_order is thin (carries only an id) but get_order is not supported" in problems
    assert "webhook_new_order is declared Supported but module.verify_webhook() is not implemented" in problems


def test_not_supported_without_reason_is_refused_at_declaration():
    with pytest.raises(ValueError, match="needs a reason"):
        NotSupported("  ")


def test_wrong_options_type_is_named():
    module = broken_module(features=features(get_order=Supported(PostStatusOptions())))

    assert "get_order: options must be GetOrderOptions" in check_module(module)


def test_the_kit_itself_fails_a_broken_module_with_the_problem_in_the_message():
    class BrokenContract(sandbox_contract.TestSandboxMarketContract):
        module_class = broken_module(
            features=features(post_status=Supported(PostStatusOptions(statuses=frozenset({OrderStatus.READY})))),
        )

    with pytest.raises(AssertionError, match="post_status declares ready but no status map has an outbound code"):
        BrokenContract().test_declaration_matches_implementation()


def test_the_kit_fails_a_module_whose_verification_accepts_forgeries():
    from integrations.channels.sandbox_market.module import Module

    class Gullible(Module):
        def verify_webhook(self, connection, body, headers, now):
            return None

    class GullibleContract(sandbox_contract.TestSandboxMarketContract):
        module_class = Gullible

    with pytest.raises(BaseException, match="DID NOT RAISE"):
        GullibleContract().test_forged_webhooks_are_rejected_with_a_reason()


def test_the_kit_fails_a_contract_that_gives_no_malformed_samples():
    class Unproven(sandbox_contract.TestSandboxMarketContract):
        def malformed_webhooks(self):
            return []

    class Silent(sandbox_contract.TestSandboxMarketContract):
        malformed_webhooks = ChannelModuleContract.malformed_webhooks

    with pytest.raises(AssertionError, match="provide malformed webhooks"):
        Unproven().test_malformed_webhooks_raise_malformed()
    with pytest.raises(NotImplementedError):
        Silent().test_malformed_webhooks_raise_malformed()


def test_the_kit_fails_a_module_that_accepts_a_malformed_body():
    from integrations.channels.sandbox_market.module import Module

    class Lenient(Module):
        def parse_webhook(self, connection, body, headers):
            return []

    class LenientContract(sandbox_contract.TestSandboxMarketContract):
        module_class = Lenient

    with pytest.raises(BaseException, match="DID NOT RAISE"):
        LenientContract().test_malformed_webhooks_raise_malformed()


def test_abstract_kit_is_not_collected_as_tests():
    assert not ChannelModuleContract.__name__.startswith("Test")
