"""Support staff in headless Chromium: run a validation from admin (real worker, real market), watch it fill in,
open the coverage document. The screenshots are the README's admin tour."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from integrations.models import ValidationRun
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.restaurants import DEFAULT_PASSWORD, UserFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_staff_run_a_validation_and_print_the_coverage_document(browser, market, celery_worker, live_server,
                                                                 artifacts_dir, settings):
    settings.VALIDATION_WEBHOOK_WAIT_SECONDS = 15
    UserFactory(username="support", is_staff=True, is_superuser=True)
    connection = ConnectionFactory(
        restaurant__name="Casa Lucía", channel=ChannelFactory(name="Sandbox Market ES", sandbox_base_url=market.url),
        store_id="tour", credentials={"api_key": "k-tour", "webhook_secret": "s-tour"},
    )
    market.register_store(store_ref="tour", api_key="k-tour", webhook_secret="s-tour", currency="EUR",
                          webhook_url=f"{live_server.url}/webhooks/{connection.webhook_token}/")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "support")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("input[type=submit]")

    page.goto(f"{live_server.url}/admin/integrations/connection/")
    page.check(f"input[name=_selected_action][value='{connection.pk}']")
    page.select_option("select[name=action]", "run_validation")
    page.click("button[name=index]")
    page.wait_for_url("**/admin/integrations/validationrun/*/change/")
    # The page reloads itself (Refresh header) while the worker fills the results in.
    page.wait_for_function("() => !document.body.innerText.includes('running…')", timeout=90_000)

    run = ValidationRun.objects.get()
    assert run.state == "passed", list(run.results.values_list("feature", "result", "detail"))
    assert page.locator("[data-testid=validation-results] tbody tr").count() == 8
    page.screenshot(path=str(artifacts_dir / "admin_validation_run.png"), full_page=True)

    page.click("text=HTML")
    page.wait_for_selector("text=Integration coverage: Sandbox Market")
    assert "not validated yet" not in page.content()
    page.screenshot(path=str(artifacts_dir / "admin_coverage.png"), full_page=True)

    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    page.screenshot(path=str(artifacts_dir / "api_docs.png"))

    if os.environ.get("SINQRO_UPDATE_DOCS"):  # refresh the README's screenshots on request only
        for name in ("admin_validation_run.png", "admin_coverage.png", "api_docs.png"):
            shutil.copyfile(artifacts_dir / name, DOCS / name)
