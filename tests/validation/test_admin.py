"""Staff start a validation from a connection in admin and watch its page fill in; the coverage document shows it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from integrations.models import ValidationResult, ValidationRun
from tests.factories.integrations import ConnectionFactory
from tests.factories.restaurants import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_action_starts_a_run_and_lands_on_its_page(staff_client, django_capture_on_commit_callbacks):
    connection = ConnectionFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        response = staff_client.post("/admin/integrations/connection/",
                                     {"action": "run_validation", "_selected_action": [connection.pk]})

    run = ValidationRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/integrations/validationrun/{run.pk}/change/"
    assert run.state == "running" and run.connection == connection and run.by.is_staff
    assert len(callbacks) == 1  # the task is enqueued after commit, so the worker finds the row

    page = staff_client.get(response["Location"])
    assert page["Refresh"] == "2"
    assert page.content.decode().count("running…") == 8


def test_the_action_refuses_production(staff_client):
    connection = ConnectionFactory(environment="production")
    response = staff_client.post("/admin/integrations/connection/",
                                 {"action": "run_validation", "_selected_action": [connection.pk]}, follow=True)
    assert "validation runs only against a sandbox" in response.content.decode()
    assert not ValidationRun.objects.exists()


def test_a_finished_run_shows_each_result_and_stops_refreshing(staff_client):
    run = ValidationRun.objects.create(connection=ConnectionFactory(), module="sandbox_market", state="failed",
                                       finished_at=timezone.now())
    ValidationResult.objects.create(run=run, feature="get_order", result="passed", detail="fetched SM-000001")
    ValidationResult.objects.create(run=run, feature="publish_catalog", result="failed",
                                    detail="the channel rejected the catalog: rejected: bad menu")

    page = staff_client.get(f"/admin/integrations/validationrun/{run.pk}/change/")

    html = page.content.decode()
    assert "Refresh" not in page
    assert "fetched SM-000001" in html and "the channel rejected the catalog" in html
    assert html.count("not run") == 6
    listing = staff_client.get("/admin/integrations/validationrun/").content.decode()
    assert "1 passed, 1 failed" in listing


def test_the_coverage_document_carries_the_latest_results(staff_client):
    connection = ConnectionFactory()
    old = ValidationRun.objects.create(connection=connection, module="sandbox_market", state="failed",
                                       finished_at=timezone.now())
    ValidationResult.objects.create(run=old, feature="get_order", result="failed", detail="HTTP 500")
    new = ValidationRun.objects.create(connection=connection, module="sandbox_market", state="passed",
                                       finished_at=timezone.now())
    ValidationResult.objects.create(run=new, feature="get_order", result="passed", detail="fetched SM-000009")
    running = ValidationRun.objects.create(connection=connection, module="sandbox_market")
    ValidationResult.objects.create(run=running, feature="get_status", result="failed", detail="half-way")

    channel = connection.channel_id
    html = staff_client.get(f"/admin/integrations/channel/{channel}/coverage/").content.decode()
    markdown = staff_client.get(f"/admin/integrations/channel/{channel}/coverage.md").content.decode()

    assert "passed" in html and "fetched SM-000009" in html and "HTTP 500" not in html
    assert "half-way" not in html  # a run still going is not a result yet
    assert "| Get order / reservation | yes |" in markdown and "passed (" in markdown
    assert "not validated yet" in markdown  # the features no finished run covered


def test_results_have_their_own_list_across_runs(staff_client):
    run = ValidationRun.objects.create(connection=ConnectionFactory(), module="sandbox_market", state="failed")
    ValidationResult.objects.create(run=run, feature="get_order", result="failed", detail="HTTP 500")

    listing = staff_client.get("/admin/integrations/validationresult/?result=failed").content.decode()
    assert "HTTP 500" in listing and "get_order" in listing
