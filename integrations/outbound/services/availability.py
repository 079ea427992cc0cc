"""Opening hours, calendar exceptions, pauses and resumes, carried to every connected channel.

Availability jobs of a connection share one lane ("availability"), so a
resume never overtakes its pause. They coalesce per document: a newer set of
hours supersedes pending older hours, a newer pause/resume supersedes a
pending older pause/resume (each is the whole truth about its document).
Hours and pauses do not supersede each other: they are different documents
on the channel.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from canonical import Availability, CalendarException, PauseRequest, ServiceType, WeeklyRange
from integrations.channels.features import Feature, PostAvailabilityOptions, PublishCatalogOptions
from integrations.channels.registry import get_module
from integrations.models import Connection, SyncJob
from restaurants import pauses
from restaurants.models import CalendarException as CalendarExceptionRow
from restaurants.models import Pause, Restaurant

from ..outbox import record_job, restaurant_connections, supporting
from .catalog import publish_catalog

LANE = "availability"
HOURS = "availability:hours"


class PausesOnlyWhole(ValueError):
    """A one-service pause asked of a channel that can only pause the whole restaurant (nothing is written).

    Before, such a channel simply got no job: the pause was answered as done and the channel kept selling.
    """

    def __init__(self, channels: list[str], service_type: str) -> None:
        self.channels = channels
        self.service_type = service_type
        service = ServiceType(service_type).label if service_type in ServiceType.values else service_type
        super().__init__(
            gettext(
                "%(channels)s can only pause the whole restaurant, not %(service)s alone. "
                "Pause every service instead (a pause without a service type), which stops all orders there."
            )
            % {"channels": ", ".join(channels), "service": service}
        )


def set_opening_hours(restaurant: Restaurant) -> list[SyncJob]:
    """Send the restaurant's weekly hours and coming calendar exceptions to every channel that takes them.

    Call it after editing schedule ranges or exceptions (in the same transaction, if you have one).
    """
    availability = current_availability(restaurant)
    jobs = []
    with transaction.atomic():
        for connection, module in supporting(restaurant_connections(restaurant.pk), Feature.POST_AVAILABILITY):
            options = _options(module)
            if not (options.weekly_hours or options.exceptions):
                continue
            document = availability.model_copy(
                update={
                    "weekly": availability.weekly if options.weekly_hours else (),
                    "exceptions": availability.exceptions if options.exceptions else (),
                }
            )
            jobs.append(
                record_job(
                    connection,
                    SyncJob.Kind.OPENING_HOURS,
                    document.model_dump(mode="json"),
                    target=f"opening hours of {restaurant}",
                    ordering_key=LANE,
                    coalesce_key=HOURS,
                )
            )
        jobs += publish_catalog(restaurant, _menus_carry_hours(restaurant))
    return jobs


def _menus_carry_hours(restaurant: Restaurant) -> list[Connection]:
    """The connections whose channel's menus make the store's hours: the menu goes again with the new hours."""
    found = []
    for connection, module in supporting(restaurant_connections(restaurant.pk), Feature.PUBLISH_CATALOG):
        options = module.features.options(Feature.PUBLISH_CATALOG)
        if isinstance(options, PublishCatalogOptions) and options.menus_carry_hours:
            found.append(connection)
    return found


def pause_restaurant(
    restaurant: Restaurant,
    until: datetime | None,
    reason: str,
    service_type: str | None = None,
    by: AbstractBaseUser | None = None,
) -> Pause:
    """Pause the restaurant (or one service) here and on every channel that can be paused.

    A channel that needs an end time refuses an open-ended pause with a
    ``ValueError`` before anything is written. A channel that cannot pause one
    service alone refuses a one-service pause with ``PausesOnlyWhole`` (pausing
    the whole store there would stop services the restaurant still sells, and
    leaving it open would sell what the restaurant said it cannot make).
    """
    targets = pause_targets(restaurant, until, service_type)
    with transaction.atomic():
        pause = pauses.pause(restaurant, until, reason, service_type=service_type, by=by)
        request = PauseRequest(
            until=until, reason=reason, service_type=ServiceType(service_type) if service_type else None
        )
        for connection in targets:
            record_job(
                connection,
                SyncJob.Kind.PAUSE,
                request.model_dump(mode="json"),
                target=f"pause {restaurant}" + (f" ({service_type})" if service_type else ""),
                ordering_key=LANE,
                coalesce_key=_pause_key(service_type),
            )
            _resume_at_the_end(connection, until, service_type)
    return pause


def pause_targets(restaurant: Restaurant, until: datetime | None, service_type: str | None = None) -> list[Connection]:
    """The connections a pause would reach; ``ValueError`` when one of them refuses it (nothing is written).

    ``pause_restaurant`` asks it first; a form (admin) asks it to show the refusal before saving.
    """
    if restaurant.pk is None:
        return []
    targets, whole_only = [], []
    for connection, module in supporting(restaurant_connections(restaurant.pk), Feature.POST_AVAILABILITY):
        options = _options(module)
        if not options.pause:
            continue
        if service_type is not None and not options.per_service_type:
            whole_only.append(connection.channel.name)
            continue
        if until is None and options.pause_needs_until:
            raise ValueError(gettext("%(channel)s needs an end time for a pause") % {"channel": module.name})
        targets.append(connection)
    if whole_only:
        raise PausesOnlyWhole(sorted(set(whole_only)), service_type or "")
    return targets


def resume_restaurant(
    restaurant: Restaurant, service_type: str | None = None, by: AbstractBaseUser | None = None
) -> int:
    """Resume here (see ``restaurants.pauses.resume``) and on every channel that can be paused."""
    with transaction.atomic():
        resumed = pauses.resume(restaurant, service_type=service_type, by=by)
        for connection, module in supporting(restaurant_connections(restaurant.pk), Feature.POST_AVAILABILITY):
            options = _options(module)
            if not options.pause or (service_type is not None and not options.per_service_type):
                continue
            record_job(
                connection,
                SyncJob.Kind.RESUME,
                {"service_type": service_type},
                target=f"resume {restaurant}" + (f" ({service_type})" if service_type else ""),
                ordering_key=LANE,
                coalesce_key=_pause_key(service_type),
            )
            _resume_at_the_end(connection, None, service_type)
    return resumed


class ChannelCannotPause(ValueError):
    """The channel's API offers no pause (or not the one asked for)."""


def pause_channel(
    connection: Connection, until: datetime | None, reason: str, by: AbstractBaseUser | None = None
) -> SyncJob:
    """Pause one channel only: the restaurant keeps selling on its other channels.

    Refused with ``ChannelCannotPause`` (nothing written) when the module
    declares no pause, or needs an end time and none was given.
    """
    options = _pause_options(connection)
    if until is None and options.pause_needs_until:
        raise ChannelCannotPause(f"{connection.channel.name} needs an end time for a pause")
    with transaction.atomic():
        Connection.objects.filter(pk=connection.pk).update(
            channel_paused=True, channel_paused_until=until, channel_pause_reason=reason[:200]
        )
        connection.refresh_from_db(fields=["channel_paused", "channel_paused_until", "channel_pause_reason"])
        request = PauseRequest(until=until, reason=reason)
        job = record_job(
            connection,
            SyncJob.Kind.PAUSE,
            request.model_dump(mode="json"),
            target=f"pause {connection.restaurant} on {connection.channel.name}",
            ordering_key=LANE,
            coalesce_key=_pause_key(None),
        )
        _resume_at_the_end(connection, until, None)
        return job


def resume_channel(connection: Connection, by: AbstractBaseUser | None = None) -> SyncJob:
    """End a pause of this channel (see ``pause_channel``)."""
    _pause_options(connection)
    with transaction.atomic():
        Connection.objects.filter(pk=connection.pk).update(
            channel_paused=False, channel_paused_until=None, channel_pause_reason=""
        )
        connection.refresh_from_db(fields=["channel_paused", "channel_paused_until", "channel_pause_reason"])
        job = record_job(
            connection,
            SyncJob.Kind.RESUME,
            {"service_type": None},
            target=f"resume {connection.restaurant} on {connection.channel.name}",
            ordering_key=LANE,
            coalesce_key=_pause_key(None),
        )
        _resume_at_the_end(connection, None, None)
        return job


def _pause_options(connection: Connection) -> PostAvailabilityOptions:
    module = get_module(connection.channel.module)
    declaration = module.features[Feature.POST_AVAILABILITY]
    options = _options(module)
    if not declaration.supported or not options.pause:
        why = getattr(declaration, "reason", "") or "its API has no pause"
        raise ChannelCannotPause(f"{connection.channel.name} cannot be paused from here: {why}")
    return options


def current_availability(restaurant: Restaurant, at: datetime | None = None) -> Availability:
    """Weekly ranges and the exceptions not yet over, as the canonical document channels overwrite."""
    at = at or timezone.now()
    exceptions = restaurant.calendar_exceptions.filter(expires_at__gt=at).order_by("starts_at")
    return Availability(
        timezone=restaurant.timezone,
        weekly=tuple(
            WeeklyRange(
                start_day=row.start_day,
                end_day=row.end_day,
                start_time=row.start_time,
                end_time=row.end_time,
                service_type=ServiceType(row.service_type) if row.service_type else None,
            )
            for row in restaurant.schedule_ranges.order_by("start_day", "start_time", "id")
        ),
        exceptions=tuple(
            CalendarException(
                starts_at=row.starts_at,
                expires_at=row.expires_at,
                closed=row.kind == CalendarExceptionRow.Kind.CLOSED,
                reason=row.reason,
                service_type=ServiceType(row.service_type) if row.service_type else None,
            )
            for row in exceptions
        ),
    )


def _pause_key(service_type: str | None) -> str:
    return f"availability:pause:{service_type or 'all'}"


def _resume_at_the_end(connection: Connection, until: datetime | None, service_type: str | None) -> SyncJob | None:
    """For a channel whose pause has no end time (``pause_takes_until`` False), the resume that ends a pause with
    one, written now to run at ``until``. A newer pause or resume replaces a resume still waiting (each call
    starts by that), so only the latest pause's end reopens the channel. Out of the availability lane: a job
    waiting for hours must not hold the hours and exceptions behind it."""
    key = f"{_pause_key(service_type)}:at-its-end"
    SyncJob.objects.filter(connection=connection, coalesce_key=key, state=SyncJob.State.PENDING).update(
        state=SyncJob.State.SUPERSEDED, finished_at=timezone.now(), last_error="a newer pause or resume replaced it"
    )
    options = _options(get_module(connection.channel.module))
    if until is None or options.pause_takes_until:
        return None
    return record_job(
        connection,
        SyncJob.Kind.RESUME,
        {"service_type": service_type},
        target=f"resume {connection.restaurant} on {connection.channel.name} at the pause's end",
        coalesce_key=key,
        not_before=until,
    )


def _options(module) -> PostAvailabilityOptions:
    options = module.features.options(Feature.POST_AVAILABILITY)
    assert isinstance(options, PostAvailabilityOptions)
    return options
