"""Every admin edit of what a channel mirrors writes its sync job, through the real admin pages.

The admin is the third door (after the POS API and the status page): a pause, an hours change, a calendar
exception or a price typed there must reach the channel like the same change made through the API.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import SyncJob
from restaurants.models import CalendarException, Pause
from tests.factories.catalog import OptionFactory, ProductFactory, VariantFactory
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.restaurants import PauseFactory, ScheduleRangeFactory

from .conftest import form_errors, page_form

pytestmark = pytest.mark.django_db


def jobs(kind: str | None = None) -> list[SyncJob]:
    queryset = SyncJob.objects.order_by("id")
    return list(queryset.filter(kind=kind) if kind else queryset)


def split(moment) -> dict[str, str]:
    local = timezone.localtime(moment)
    return {"0": local.strftime("%Y-%m-%d"), "1": local.strftime("%H:%M:%S")}


def with_split(data: dict, field: str, moment) -> dict:
    parts = split(moment) if moment is not None else {"0": "", "1": ""}
    return {**data, f"{field}_0": parts["0"], f"{field}_1": parts["1"]}


@pytest.fixture
def sandbox():
    """A restaurant selling on the Sandbox Market (pause, hours, exceptions and catalog all supported)."""
    return ConnectionFactory()


# --- pauses ----------------------------------------------------------------------------------------


def test_a_pause_added_in_admin_is_the_pause_service_and_writes_a_pause_job(admin_client, admin_user, sandbox):
    until = timezone.now() + timedelta(hours=1)
    data = with_split(
        {"restaurant": sandbox.restaurant.pk, "service_type": "", "reason": "short-staffed"}, "until", until
    )

    response = admin_client.post(reverse("admin:restaurants_pause_add"), data)

    assert response.status_code == 302, form_errors(response)
    pause = Pause.objects.get(restaurant=sandbox.restaurant)
    assert (pause.created_by, pause.service_type, pause.reason) == (admin_user, None, "short-staffed")
    [job] = jobs()
    assert (job.connection, job.kind, job.state) == (sandbox, SyncJob.Kind.PAUSE, SyncJob.State.PENDING)
    assert job.payload["reason"] == "short-staffed"
    assert abs(datetime.fromisoformat(job.payload["until"]) - until) < timedelta(seconds=1)


def test_a_pause_the_channel_would_refuse_is_a_form_error_and_writes_nothing(admin_client):
    # Glovo needs an end time for every pause: an open-ended one would be refused by the service
    glovo = ConnectionFactory(channel=ChannelFactory(name="Glovo", module="glovo"))
    data = {"restaurant": glovo.restaurant.pk, "service_type": "", "reason": "closed", "until_0": "", "until_1": ""}

    response = admin_client.post(reverse("admin:restaurants_pause_add"), data)

    assert response.status_code == 200
    assert "needs an end time" in str(form_errors(response))
    assert not Pause.objects.exists()
    assert jobs() == []


def test_resume_selected_ends_the_pause_through_the_service_with_a_resume_job(admin_client, admin_user, sandbox):
    pause = PauseFactory(restaurant=sandbox.restaurant, until=timezone.now() + timedelta(hours=2))

    response = admin_client.post(
        reverse("admin:restaurants_pause_changelist"), {"action": "resume_selected", "_selected_action": [pause.pk]}
    )

    assert response.status_code == 302
    pause.refresh_from_db()
    assert pause.resumed_at is not None and pause.resumed_by == admin_user
    [job] = jobs()
    assert (job.connection, job.kind, job.payload) == (sandbox, SyncJob.Kind.RESUME, {"service_type": None})


def test_resume_selected_leaves_finished_pauses_and_their_channels_alone(admin_client, sandbox):
    over = PauseFactory(restaurant=sandbox.restaurant, until=timezone.now() + timedelta(hours=1))
    Pause.objects.filter(pk=over.pk).update(resumed_at=timezone.now() - timedelta(minutes=5))

    admin_client.post(
        reverse("admin:restaurants_pause_changelist"), {"action": "resume_selected", "_selected_action": [over.pk]}
    )

    assert jobs() == []


def test_moving_a_running_pause_end_to_now_resumes_it_on_the_channel(admin_client, admin_user, sandbox):
    pause = PauseFactory(restaurant=sandbox.restaurant, until=timezone.now() + timedelta(hours=2), reason="rush")
    url = reverse("admin:restaurants_pause_change", args=[pause.pk])
    data = with_split(page_form(admin_client, url), "until", timezone.now() - timedelta(seconds=1))

    response = admin_client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    pause.refresh_from_db()
    assert pause.resumed_by == admin_user and not pause.is_active()
    assert [job.kind for job in jobs()] == [SyncJob.Kind.RESUME]


def test_moving_a_running_pause_end_later_pauses_again_until_the_new_end(admin_client, sandbox):
    pause = PauseFactory(restaurant=sandbox.restaurant, until=timezone.now() + timedelta(minutes=30), reason="rush")
    url = reverse("admin:restaurants_pause_change", args=[pause.pk])
    later = timezone.now() + timedelta(hours=3)

    response = admin_client.post(url, with_split(page_form(admin_client, url), "until", later))

    assert response.status_code == 302, form_errors(response)
    [running] = Pause.objects.active()
    assert running.pk != pause.pk and abs(running.until - later) < timedelta(seconds=1)
    resume, again = jobs()
    assert (resume.kind, again.kind) == (SyncJob.Kind.RESUME, SyncJob.Kind.PAUSE)
    # same channel document (one pause per scope): the newer one supersedes the pending resume
    assert (resume.state, again.state) == (SyncJob.State.SUPERSEDED, SyncJob.State.PENDING)


def test_editing_only_a_pause_reason_stays_ours(admin_client, sandbox):
    pause = PauseFactory(restaurant=sandbox.restaurant, until=timezone.now() + timedelta(hours=2), reason="rush")
    url = reverse("admin:restaurants_pause_change", args=[pause.pk])

    response = admin_client.post(url, {**page_form(admin_client, url), "reason": "kitchen fire drill"})

    assert response.status_code == 302, form_errors(response)
    pause.refresh_from_db()
    assert pause.reason == "kitchen fire drill" and pause.is_active()
    assert jobs() == []


def test_a_pause_added_in_the_restaurant_page_inline_writes_a_pause_job(admin_client, admin_user, sandbox):
    url = reverse("admin:restaurants_restaurant_change", args=[sandbox.restaurant.pk])
    data = page_form(admin_client, url)
    data = with_split(
        {
            **data,
            "pauses-TOTAL_FORMS": str(int(data["pauses-TOTAL_FORMS"]) + 1),
            "pauses-0-reason": "oven broken",
            "pauses-0-service_type": "",
        },
        "pauses-0-until",
        timezone.now() + timedelta(hours=1),
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    assert Pause.objects.get().created_by == admin_user
    assert [job.kind for job in jobs()] == [SyncJob.Kind.PAUSE]


# --- weekly hours, calendar exceptions, service availability ----------------------------------------


def test_lunch_moved_in_the_schedule_inline_writes_one_opening_hours_job(admin_client, sandbox):
    restaurant = sandbox.restaurant
    lunch = ScheduleRangeFactory(restaurant=restaurant, start_time=time(12, 30), end_time=time(16, 0))
    ScheduleRangeFactory(restaurant=restaurant, start_time=time(20, 0), end_time=time(23, 30))
    url = reverse("admin:restaurants_restaurant_change", args=[restaurant.pk])
    data = page_form(admin_client, url)
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith("schedule_ranges-") and key.endswith("-id") and value == str(lunch.pk)
    )

    # lunch from 13:00, dinner until midnight: two rows changed, one save
    response = admin_client.post(
        url,
        {
            **data,
            f"schedule_ranges-{index}-start_time": "13:00:00",
            f"schedule_ranges-{1 - int(index)}-end_time": "00:00:00",
        },
    )

    assert response.status_code == 302, form_errors(response)
    [job] = jobs()
    assert (job.connection, job.kind) == (sandbox, SyncJob.Kind.OPENING_HOURS)
    weekly = [(entry["start_time"], entry["end_time"]) for entry in job.payload["weekly"]]
    assert weekly == [("13:00:00", "16:00:00"), ("20:00:00", "00:00:00")]


def test_saving_the_restaurant_page_unchanged_writes_no_job(admin_client, sandbox):
    ScheduleRangeFactory(restaurant=sandbox.restaurant)
    url = reverse("admin:restaurants_restaurant_change", args=[sandbox.restaurant.pk])

    response = admin_client.post(url, page_form(admin_client, url))

    assert response.status_code == 302, form_errors(response)
    assert jobs() == []


def test_switching_a_service_off_in_the_inline_publishes_the_hours_once(admin_client, sandbox):
    url = reverse("admin:restaurants_restaurant_change", args=[sandbox.restaurant.pk])
    data = page_form(admin_client, url)
    data.pop("service_availabilities-0-active")  # an unticked box is not sent

    response = admin_client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    assert sandbox.restaurant.service_availabilities.filter(active=False).count() == 1
    assert [job.kind for job in jobs()] == [SyncJob.Kind.OPENING_HOURS]


def test_a_calendar_exception_added_and_deleted_in_admin_writes_an_hours_job_each_time(admin_client, sandbox):
    starts = timezone.now() + timedelta(days=3)
    data = {"restaurant": sandbox.restaurant.pk, "kind": "closed", "service_type": "", "reason": "Christmas"}
    data = with_split(with_split(data, "starts_at", starts), "expires_at", starts + timedelta(days=1))

    added = admin_client.post(reverse("admin:restaurants_calendarexception_add"), data)

    assert added.status_code == 302, form_errors(added)
    [job] = jobs()
    assert job.kind == SyncJob.Kind.OPENING_HOURS
    assert [(entry["reason"], entry["closed"]) for entry in job.payload["exceptions"]] == [("Christmas", True)]

    exception = CalendarException.objects.get()
    deleted = admin_client.post(
        reverse("admin:restaurants_calendarexception_delete", args=[exception.pk]), {"post": "yes"}
    )

    assert deleted.status_code == 302
    assert not CalendarException.objects.exists()
    first, second = jobs()
    assert second.kind == SyncJob.Kind.OPENING_HOURS and second.payload["exceptions"] == []
    assert first.state == SyncJob.State.SUPERSEDED  # the newer hours document replaces the pending one


# --- the catalog -----------------------------------------------------------------------------------


def test_a_product_price_changed_in_admin_publishes_the_catalog(admin_client, sandbox):
    product = ProductFactory(restaurant=sandbox.restaurant, price=Decimal("9.50"))
    url = reverse("admin:catalog_product_change", args=[product.pk])

    response = admin_client.post(url, {**page_form(admin_client, url), "price": "10.50"})

    assert response.status_code == 302, form_errors(response)
    [job] = jobs()
    assert (job.connection, job.kind) == (sandbox, SyncJob.Kind.CATALOG)
    [published] = [entry for entry in job.payload["products"] if entry["sku"] == product.sku]
    assert Decimal(str(published["price"])) == Decimal("10.50")


def test_a_variant_switched_off_in_the_product_inline_publishes_the_catalog_once(admin_client, sandbox):
    product = ProductFactory(restaurant=sandbox.restaurant)
    VariantFactory(product=product, available=True)
    VariantFactory(product=product, available=True)
    url = reverse("admin:catalog_product_change", args=[product.pk])
    data = page_form(admin_client, url)
    data.pop("variants-0-available")
    data.pop("variants-1-available")

    response = admin_client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    assert not product.variants.filter(available=True).exists()
    assert [job.kind for job in jobs()] == [SyncJob.Kind.CATALOG]


def test_an_option_deleted_in_admin_publishes_the_catalog_without_it(admin_client, sandbox):
    option = OptionFactory(category__restaurant=sandbox.restaurant)

    response = admin_client.post(reverse("admin:catalog_option_delete", args=[option.pk]), {"post": "yes"})

    assert response.status_code == 302
    [job] = jobs()
    assert job.kind == SyncJob.Kind.CATALOG
    assert option.sku not in str(job.payload)


def test_saving_a_product_unchanged_writes_no_job(admin_client, sandbox):
    product = ProductFactory(restaurant=sandbox.restaurant)
    url = reverse("admin:catalog_product_change", args=[product.pk])

    response = admin_client.post(url, page_form(admin_client, url))

    assert response.status_code == 302, form_errors(response)
    assert jobs() == []
