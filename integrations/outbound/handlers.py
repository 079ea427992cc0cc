"""One function per job kind: rebuild the canonical payload and call the module's client.

Handlers only translate a job into a client call and say how it went; the
runner owns claiming, retries and bookkeeping. A handler returns ``Done``
(with what to keep as the job's result) or ``Processing`` (the channel is
still working: poll again later), and lets channel errors propagate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from canonical import (
    Availability,
    CanonicalCatalog,
    DriverPosition,
    ItemUpdate,
    OrderRef,
    PauseRequest,
    PublishResult,
    PublishState,
    StatusUpdate,
)
from canonical.state_machine import decide
from integrations.channels.base import ChannelClient, ChannelModule
from integrations.channels.features import Feature
from integrations.http import PermanentChannelError
from integrations.models import Connection, SyncJob

from . import catalog_diff


@dataclass(frozen=True)
class Done:
    result: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Processing:
    result: dict[str, Any]
    wait_seconds: float | None = None
    """When to look again; None: at the poll interval (``OUTBOUND_PUBLISH_POLL_SECONDS``)."""


Outcome = Done | Processing
Handler = Callable[[SyncJob, ChannelClient, ChannelModule, Connection], Outcome]

OPERATIONS = {
    SyncJob.Kind.ORDER_STATUS: "set_order_status",
    SyncJob.Kind.DELIVERY_LOCATION: "update_delivery_location",
    SyncJob.Kind.OPENING_HOURS: "set_opening_hours",
    SyncJob.Kind.PAUSE: "pause",
    SyncJob.Kind.RESUME: "resume",
    SyncJob.Kind.CATALOG: "publish_catalog",
    SyncJob.Kind.CATALOG_ITEMS: "update_catalog_items",
}


POLL_OPERATION = "get_publish_result"
WEBHOOK_RESULT = "webhook_result"
"""Where the inbound side puts, in the job's result, the publish result a channel's webhook told
(``integrations.inbound.publish_results``); the job then runs once more to finish with it."""
RESULT_DUE = "result_due_by"
"""Until when a publish whose result comes by webhook waits for it (``ChannelModule.publish_result_timeout``)."""


def is_poll(job: SyncJob) -> bool:
    """True when this run only asks how an asynchronous publish is going."""
    return job.kind in (SyncJob.Kind.CATALOG, SyncJob.Kind.CATALOG_ITEMS) and "transaction_id" in job.result


def operation_of(job: SyncJob) -> str:
    """The client operation this run of ``job`` calls: a poll asks for the result, it does not publish again
    (so it never spends a limit on uploads, such as Glovo's 5 menus a day)."""
    return POLL_OPERATION if is_poll(job) else OPERATIONS[job.kind]


def order_status(job: SyncJob, client: ChannelClient, module: ChannelModule, connection: Connection) -> Outcome:
    ref = OrderRef.model_validate(job.payload["order"])
    update = StatusUpdate.model_validate(job.payload["update"])
    if job.attempts > 1 and module.features.supports(Feature.GET_STATUS):
        # A retry may follow an attempt whose answer we never saw (timeout, worker killed):
        # look before posting again, so the channel sees the change once.
        on_channel = client.get_order_status(ref)
        if on_channel.status is not None and _already_there(ref, on_channel.status, update.status):
            return Done({"already_on_channel": on_channel.channel_status})
    client.set_order_status(ref, update)
    return Done({"sent": update.status.value})


def _already_there(ref: OrderRef, channel_status: str, wanted: str) -> bool:
    if channel_status == wanted:
        return True
    decision = decide(ref.service_type, channel_status, wanted)
    return not decision.applied and decision.reason.startswith("stale")


def delivery_location(job: SyncJob, client: ChannelClient, module: ChannelModule, connection: Connection) -> Outcome:
    client.update_delivery_location(
        OrderRef.model_validate(job.payload["order"]), DriverPosition.model_validate(job.payload["position"])
    )
    return Done()


def opening_hours(job: SyncJob, client: ChannelClient, module: ChannelModule, connection: Connection) -> Outcome:
    client.set_opening_hours(Availability.model_validate(job.payload))
    return Done()


def pause(job: SyncJob, client: ChannelClient, module: ChannelModule, connection: Connection) -> Outcome:
    client.pause(PauseRequest.model_validate(job.payload))
    return Done()


def resume(job: SyncJob, client: ChannelClient, module: ChannelModule, connection: Connection) -> Outcome:
    client.resume(job.payload.get("service_type"))
    return Done()


def catalog(job: SyncJob, client: ChannelClient, module: ChannelModule, connection: Connection) -> Outcome:
    """Publish what changed since the last publish: nothing, some items, or everything."""
    options = module.features.options(Feature.PUBLISH_CATALOG)
    canonical = catalog_diff.for_channel(CanonicalCatalog.model_validate(job.payload), options)
    if is_poll(job):
        return _after_publish(_publish_answer(job, client, module), job.result, canonical, connection, module)
    plan = catalog_diff.plan(canonical, catalog_diff.published_fingerprints(connection.pk), options)
    facts: dict[str, Any] = {"plan": plan.action, "summary": plan.summary()}
    if plan.action == "none":
        return Done(facts)
    if plan.action == "partial":
        facts["updates"] = [update.model_dump(mode="json") for update in plan.updates]
        return _after_publish(client.update_catalog_items(list(plan.updates)), facts, canonical, connection, module)
    return _after_publish(client.publish_catalog(canonical), facts, canonical, connection, module)


def _publish_answer(job: SyncJob, client: ChannelClient, module: ChannelModule) -> PublishResult:
    """How an asynchronous publish went: as the channel's webhook told, or as the channel answers a poll.

    A channel that tells by webhook (``publish_result_by_webhook``) is not asked: until the result's due time the
    job keeps waiting; after it, the job fails saying no result came (staff publish again)."""
    transaction_id = job.result["transaction_id"]
    if WEBHOOK_RESULT in job.result:
        return PublishResult.model_validate(job.result[WEBHOOK_RESULT])
    if not module.publish_result_by_webhook:
        return client.get_publish_result(transaction_id)
    if timezone.now() < datetime.fromisoformat(job.result[RESULT_DUE]):
        return PublishResult(state=PublishState.PROCESSING, transaction_id=transaction_id)
    minutes = module.publish_result_timeout.total_seconds() / 60
    raise PermanentChannelError(
        f"the channel took the catalog upload {transaction_id} but no result came by its webhook within "
        f"{minutes:g} min: whether the catalog is live is unknown; publish again"
    )


def _after_publish(
    answer: PublishResult,
    facts: dict[str, Any],
    canonical: CanonicalCatalog,
    connection: Connection,
    module: ChannelModule,
) -> Outcome:
    if answer.state == PublishState.PROCESSING:
        if not answer.transaction_id:
            raise PermanentChannelError("the channel is processing the catalog but gave no transaction id to poll")
        waiting = {**facts, "transaction_id": answer.transaction_id}
        if not module.publish_result_by_webhook:
            return Processing(waiting)
        # Its result comes by webhook, which wakes the job (inbound.publish_results); until then it waits.
        due = facts.get(RESULT_DUE) or (timezone.now() + module.publish_result_timeout).isoformat()
        left = (datetime.fromisoformat(due) - timezone.now()).total_seconds()
        return Processing({**waiting, RESULT_DUE: due}, wait_seconds=max(left, 0.0))
    if answer.state == PublishState.FAILED:
        raise PermanentChannelError("the channel rejected the catalog: " + ("; ".join(answer.errors) or "no reason"))
    if facts.get("plan") == "partial":
        updates = tuple(ItemUpdate.model_validate(update) for update in facts["updates"])
        catalog_diff.store_partial_publish(connection, canonical, updates)
    else:
        catalog_diff.store_full_publish(connection, canonical, answer.external_ids)
    done = {key: value for key, value in facts.items() if key not in ("waiting", RESULT_DUE)}
    if answer.external_ids:
        done["external_ids"] = len(answer.external_ids)
    return Done(done)


HANDLERS: dict[str, Handler] = {
    SyncJob.Kind.ORDER_STATUS: order_status,
    SyncJob.Kind.DELIVERY_LOCATION: delivery_location,
    SyncJob.Kind.OPENING_HOURS: opening_hours,
    SyncJob.Kind.PAUSE: pause,
    SyncJob.Kind.RESUME: resume,
    SyncJob.Kind.CATALOG: catalog,
    SyncJob.Kind.CATALOG_ITEMS: catalog,
}
