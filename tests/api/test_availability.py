"""Weekly hours, calendar exceptions, pause and resume from the POS, each carried to the channels."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import SyncJob
from restaurants.models import CalendarException, Pause, ScheduleRange
from tests.factories.restaurants import ScheduleRangeFactory

from .conftest import error_of

pytestmark = pytest.mark.django_db


def url(pos, tail: str = "") -> str:
    return f"/api/v1/restaurants/{pos.restaurant.pk}/availability{tail}"


def test_weekly_hours_replace_the_schedule_and_go_to_the_channel(pos):
    ScheduleRangeFactory(restaurant=pos.restaurant)
    ranges = [{"start_day": 0, "end_day": 4, "start_time": "12:30", "end_time": "16:00"},
              {"start_day": 4, "end_day": 5, "start_time": "20:00", "end_time": "01:30", "service_type": "delivery"}]

    response = pos.client.put(url(pos, "/weekly-hours"), {"ranges": ranges}, format="json")

    assert response.status_code == 200, response.content
    assert [(r.start_day, r.end_day, r.service_type) for r in ScheduleRange.objects.all()] == [
        (0, 4, None), (4, 5, "delivery")]
    assert len(response.json()["weekly"]) == 2
    job = SyncJob.objects.get()
    assert job.kind == "opening_hours" and len(job.payload["weekly"]) == 2


@pytest.mark.parametrize(("item", "field"), [({"start_day": 7}, "ranges.0.start_day"),
                                             ({"end_time": "25:00"}, "ranges.0.end_time"),
                                             ({"service_type": "drone"}, "ranges.0.service_type")])
def test_weekly_hours_validation(pos, item, field):
    ScheduleRangeFactory(restaurant=pos.restaurant)
    entry = {"start_day": 0, "end_day": 6, "start_time": "12:00", "end_time": "16:00", **item}
    response = pos.client.put(url(pos, "/weekly-hours"), {"ranges": [entry]}, format="json")
    assert response.status_code == 400
    assert field in error_of(response)["fields"]
    assert ScheduleRange.objects.count() == 1 and not SyncJob.objects.exists()


def test_add_and_remove_an_exception(pos):
    start = timezone.now() + timedelta(days=2)
    response = pos.client.post(url(pos, "/exceptions"), {
        "starts_at": start.isoformat(), "expires_at": (start + timedelta(days=1)).isoformat(),
        "kind": "closed", "reason": "Fiesta"}, format="json")
    assert response.status_code == 201, response.content
    exception_id = response.json()["id"]
    assert pos.client.get(url(pos)).json()["exceptions"][0]["reason"] == "Fiesta"

    assert pos.client.delete(url(pos, f"/exceptions/{exception_id}")).status_code == 204
    assert not CalendarException.objects.exists()
    assert SyncJob.objects.filter(kind="opening_hours").count() == 2


def test_an_exception_ending_before_it_starts_is_refused(pos):
    start = timezone.now() + timedelta(days=2)
    response = pos.client.post(url(pos, "/exceptions"), {
        "starts_at": start.isoformat(), "expires_at": (start - timedelta(hours=1)).isoformat()}, format="json")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["expires_at"]


def test_pause_then_resume(pos):
    until = timezone.now() + timedelta(minutes=30)
    response = pos.client.post(url(pos, "/pause"), {"until": until.isoformat(), "reason": "rush"}, format="json")
    assert response.status_code == 201, response.content
    assert pos.client.get(url(pos)).json()["now"]["status"] == "paused"

    response = pos.client.post(url(pos, "/resume"), {}, format="json")
    assert response.json() == {"resumed": 1}
    assert Pause.objects.get().resumed_at is not None
    assert list(SyncJob.objects.order_by("id").values_list("kind", flat=True)) == ["pause", "resume"]


@pytest.mark.parametrize(("data", "field"), [({"until": "2000-01-01T00:00:00Z"}, "until"),
                                             ({"service_type": "teleport"}, "service_type")])
def test_pause_validation(pos, data, field):
    response = pos.client.post(url(pos, "/pause"), data, format="json")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == [field]
    assert not Pause.objects.exists()
