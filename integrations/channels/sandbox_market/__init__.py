"""The Sandbox Market module: our own marketplace's dialect (see ``sandbox_market/``)."""
