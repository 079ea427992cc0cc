"""Ordering: jobs sharing a connection and an ``ordering_key`` run one at a time, oldest first.

A status job for an order must not overtake the previous one (the channel
would refuse "ready" before "accepted"), and a resume must not overtake its
pause. The lane is checked when a job is claimed; a finished job wakes the
next one of its lane at once instead of leaving it to the sweeper.
"""

from __future__ import annotations

from django.utils import timezone

from integrations.models import SyncJob

from .claims import UNFINISHED


def earlier_unfinished(job: SyncJob) -> int | None:
    """The id of an older job of the same lane that has not finished, or None."""
    if not job.ordering_key:
        return None
    return (
        SyncJob.objects.filter(
            connection_id=job.connection_id, ordering_key=job.ordering_key, state__in=UNFINISHED, id__lt=job.pk
        )
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )


def next_in_lane(job: SyncJob) -> SyncJob | None:
    """The next pending job of ``job``'s lane, made due now (it was only waiting for ``job``)."""
    if not job.ordering_key:
        return None
    following = (
        SyncJob.objects.filter(
            connection_id=job.connection_id, ordering_key=job.ordering_key, state=SyncJob.State.PENDING, id__gt=job.pk
        )
        .order_by("id")
        .first()
    )
    if following is None:
        return None
    if following.result.get("waiting", "").startswith("waiting for job"):
        SyncJob.objects.filter(pk=following.pk, state=SyncJob.State.PENDING).update(next_attempt_at=timezone.now())
    return following
