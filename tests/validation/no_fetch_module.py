"""A Sandbox Market module variant that cannot fetch an order: its test orders reach us by their webhooks only.

So a run cannot take its test orders itself first: they arrive through the worker, as a real order
would, and auto-accept sees them before the run has marked them.
"""

from dataclasses import replace

from integrations.channels.features import NotSupported
from integrations.channels.sandbox_market.module import Module as SandboxMarketModule


class Module(SandboxMarketModule):
    slug = "sandbox_market_no_fetch"
    name = "Sandbox Market (no fetch)"
    features = replace(
        SandboxMarketModule.features,
        get_order=NotSupported("orders come whole in their webhooks"),
        get_status=NotSupported("statuses come in webhooks"),
    )
