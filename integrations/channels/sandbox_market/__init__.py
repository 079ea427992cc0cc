"""The Sandbox Market module: our own marketplace's dialect.

The market itself is another system: ``channel_simulators/sandbox_market/``.
"""
