"""Sandbox Market: a stand-alone fake marketplace for demos and end-to-end tests.

It is deliberately a separate process with its own database and its own
vocabulary (tickets, plu, cents, stores), so the platform's channel module has
to translate for real, exactly as it would for a third-party channel.
Stdlib and the wing's ``kit`` only: it must never import Django or anything from the platform.
"""

API_VERSION = "v2"
