"""One function per job kind: rebuild the canonical payload and call the module's client.

Handlers only translate a job into a client call and say how it went; the
runner owns claiming, retries and bookkeeping. A handler returns ``Done``
(with what to keep as the job's result) or ``Processing`` (the channel is
still working: poll again later), and lets channel errors propagate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
        answer = client.get_publish_result(job.result["transaction_id"])
        return _after_publish(answer, job.result, canonical, connection)
    plan = catalog_diff.plan(canonical, catalog_diff.published_fingerprints(connection.pk), options)
    facts: dict[str, Any] = {"plan": plan.action, "summary": plan.summary()}
    if plan.action == "none":
        return Done(facts)
    if plan.action == "partial":
        facts["updates"] = [update.model_dump(mode="json") for update in plan.updates]
        return _after_publish(client.update_catalog_items(list(plan.updates)), facts, canonical, connection)
    return _after_publish(client.publish_catalog(canonical), facts, canonical, connection)


def _after_publish(
    answer: PublishResult, facts: dict[str, Any], canonical: CanonicalCatalog, connection: Connection
) -> Outcome:
    if answer.state == PublishState.PROCESSING:
        if not answer.transaction_id:
            raise PermanentChannelError("the channel is processing the catalog but gave no transaction id to poll")
        return Processing({**facts, "transaction_id": answer.transaction_id})
    if answer.state == PublishState.FAILED:
        raise PermanentChannelError("the channel rejected the catalog: " + ("; ".join(answer.errors) or "no reason"))
    if facts.get("plan") == "partial":
        updates = tuple(ItemUpdate.model_validate(update) for update in facts["updates"])
        catalog_diff.store_partial_publish(connection, canonical, updates)
    else:
        catalog_diff.store_full_publish(connection, canonical, answer.external_ids)
    done = {key: value for key, value in facts.items() if key != "waiting"}
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
