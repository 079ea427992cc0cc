"""Other companies' systems: the channels the platform talks to, simulated, each in its own process.

``sandbox_market`` (our own fake marketplace, sqlite-backed, its own
vocabulary: tickets, plu, cents, stores), ``uber_eats`` and ``glovo`` (real
channels' dialects, state in memory) all stand on ``kit`` (HTTP plumbing, the
serve loop, the process harness, webhooks, faults). Each runs with
``python -m channel_simulators.<company> --port 0`` and prints
``<company> listening on http://host:port/``; ``channel_simulators.testing``
starts them as subprocesses for tests. Every one has ``/_control/...``
endpoints (stores, orders, faults, logs) that the real channel would not have.

Stdlib only, and never the platform (no Django, no ``integrations``...): the
platform and these meet over HTTP only, as with a real third party.
"""
