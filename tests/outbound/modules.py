"""Tiny channel modules for tests: the Sandbox Market client with other declarations."""

from __future__ import annotations

from dataclasses import replace

from integrations.channels.features import CatalogMode, Feature, NotSupported, PublishCatalogOptions, Supported
from integrations.channels.sandbox_market.module import Module as SandboxMarket


class FullReplaceMarket(SandboxMarket):
    """The Sandbox Market, declared as a channel that only takes full catalog uploads."""

    slug = "full_replace_market"
    name = "Full-replace Market"
    features = replace(
        SandboxMarket.features,
        publish_catalog=Supported(PublishCatalogOptions(mode=CatalogMode.FULL, asynchronous=True)),
    )


class StatusBlindMarket(SandboxMarket):
    """A channel that takes no status from us."""

    slug = "status_blind_market"
    name = "Status-blind Market"
    features = replace(SandboxMarket.features, post_status=NotSupported("the channel has no status endpoint"))


class EveryStepMarket(SandboxMarket):
    """A channel that wants every status step, even after the order moved on."""

    slug = "every_step_market"
    name = "Every-step Market"
    features = replace(
        SandboxMarket.features,
        post_status=Supported(
            replace(SandboxMarket.features.options(Feature.POST_STATUS), needs_every_step=True)
        ),
    )
