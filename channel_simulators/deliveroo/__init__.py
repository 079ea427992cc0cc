"""The Deliveroo dialect simulator (``python -m channel_simulators.deliveroo``)."""
