"""Support staff's admin of integrations, one module per area; importing them registers their pages.

- ``connections``: channels (with their coverage documents), connections, published references
- ``calls``: every recorded channel call
- ``documents``: files hosted for channels to download (Glovo's menu file), whether they were fetched
- ``inbound``: webhook events (reset, re-process, replay) and rejections
- ``mirrored``: what channels copy (pauses, hours, exceptions, the catalog): replaces the domain's
  plain admin classes with ones whose saves, deletes and actions call the outbound services
- ``order_ticket``: an order as a ticket with its buttons (accept, reject, ready, confirm…, resend, fetch again),
  the jobs, webhooks and calls of its channel: replaces the orders app's read-only ticket
- ``outbound``: the outbox's sync jobs (retry, cancel, retry all failed) and rate-limit windows
- ``validation``: validation runs and their results, and the connections' "Run validation" action

Actions here are thin: each calls a service beside the row's other transitions
(``integrations.inbound.event_actions``, ``integrations.outbound.job_actions``,
``integrations.validation.starting``, ``integrations.connection_actions``) and shows what it did.
"""

from . import calls, connections, documents, inbound, mirrored, order_ticket, outbound, validation  # noqa: F401
