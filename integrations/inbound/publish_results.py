"""A catalog publish's result told by the channel's webhook, taken to the publish job that waits for it.

A channel with ``publish_result_by_webhook`` answers an upload ``processing`` with an id (``transaction_id``);
the outbox keeps the job pending until the result's due time (``integrations.outbound.handlers``). The webhook's
``PUBLISH_RESULT`` event names the same id: its result goes into that job's ``result`` (``webhook_result``) and the
job is made due now, so the runner finishes it as after a poll (succeeded, or failed with the channel's words),
with its fingerprints, lane and bookkeeping. Catalog jobs of a connection share one lane, so at most one waits.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from canonical import PublishResult
from integrations.http import RetryableChannelError
from integrations.models import SyncJob
from integrations.outbound.handlers import WEBHOOK_RESULT
from integrations.outbound.outbox import enqueue

CATALOG_KINDS = (SyncJob.Kind.CATALOG, SyncJob.Kind.CATALOG_ITEMS)


class PublishNotRecordedYet(RetryableChannelError):
    """The result came while its publish job is still running (the upload answered, its id not yet recorded)."""


def take_publish_result(connection_id: int, publish: PublishResult) -> SyncJob | None:
    """Hand ``publish`` to the connection's job waiting for it; None when no job waits for this upload.

    Runs inside the event's transaction; the job is enqueued after the commit. Raises ``PublishNotRecordedYet``
    (the event is retried seconds later) while a catalog job of the connection is still running.
    """
    waiting = SyncJob.objects.filter(
        connection_id=connection_id,
        kind__in=CATALOG_KINDS,
        state=SyncJob.State.PENDING,
        result__transaction_id=publish.transaction_id,
    )
    job = waiting.order_by("id").first()
    if job is None:
        if SyncJob.objects.filter(connection_id=connection_id, kind__in=CATALOG_KINDS,
                                  state=SyncJob.State.RUNNING).exists():
            raise PublishNotRecordedYet(
                f"the result of upload {publish.transaction_id} came before its publish job recorded the upload; "
                "taken again shortly"
            )
        return None
    now = timezone.now()
    result = {**job.result, WEBHOOK_RESULT: publish.model_dump(mode="json")}
    if not waiting.filter(pk=job.pk).update(result=result, next_attempt_at=now, updated_at=now):
        raise PublishNotRecordedYet(f"the job waiting for upload {publish.transaction_id} moved meanwhile; taken again")
    transaction.on_commit(lambda: enqueue(job.pk, job.kind))
    return job
