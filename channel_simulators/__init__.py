"""Simulated real channels, each speaking one channel's dialect over real HTTP in its own process.

Stdlib only. ``uber_eats`` and ``glovo`` each run with
``python -m channel_simulators.<dialect> --port 0`` and print
``<dialect> listening on http://host:port/``; ``channel_simulators.testing``
starts them as subprocesses for tests. State lives in memory and dies with
the process. Every simulator has ``/_control/...`` endpoints (stores, orders,
faults, logs) that the channel itself would not have.
"""
