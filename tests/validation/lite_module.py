"""A Sandbox Market module variant with no sandbox tools and no courier feature, for skip reasons."""

from dataclasses import replace

from integrations.channels.features import NotSupported
from integrations.channels.sandbox_market.module import Module as SandboxMarketModule


class Module(SandboxMarketModule):
    slug = "sandbox_market_lite"
    name = "Sandbox Market (lite)"
    sandbox_controls_class = None
    features = replace(
        SandboxMarketModule.features, post_delivery_location=NotSupported("the market has no courier tracking")
    )
