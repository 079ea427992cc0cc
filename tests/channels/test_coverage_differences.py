"""`manage.py coverage_document uber_eats` and `... glovo` differ the way the two channels differ."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def document(slug: str, *args: str) -> str:
    out = StringIO()
    call_command("coverage_document", slug, *args, stdout=out)
    return out.getvalue()


def row(output: str, title: str) -> str:
    """The feature table's row for ``title``."""
    [line] = [line for line in output.splitlines() if line.startswith(f"| {title} |")]
    return line


def integrated(output: str, title: str) -> bool:
    return row(output, title).split(" | ")[1] == "yes"


@pytest.fixture(scope="module")
def uber(django_db_setup, django_db_blocker) -> str:
    with django_db_blocker.unblock():
        return document("uber_eats")


@pytest.fixture(scope="module")
def glovo(django_db_setup, django_db_blocker) -> str:
    with django_db_blocker.unblock():
        return document("glovo")


def test_the_feature_tables_differ_where_the_apis_differ(uber, glovo):
    assert "7 of 8 features integrated" in uber
    assert "5 of 8 features integrated" in glovo
    for title in ("Get order / reservation", "Get order / reservation status"):
        assert integrated(uber, title) and not integrated(glovo, title)
    assert row(glovo, "Get order / reservation") == (
        "| Get order / reservation | no | Glovo has no endpoint to fetch an order: every order arrives complete in "
        "its webhook, so there is nothing to fetch or reconcile. | not validated yet |"
    )
    # Neither takes a courier position, each for its own reason.
    assert row(uber, "Post driver location") == (
        "| Post driver location | no | Uber Eats takes order status only, no courier position: the Marketplace "
        "APIs have no endpoint for a driver's location (the restaurant's own couriers report started / delivered "
        "through restaurantdelivery/status, a status, not a position). | not validated yet |"
    )
    assert row(glovo, "Post driver location").startswith(
        "| Post driver location | no | Glovo's Partners API has no endpoint for a courier's position")


def test_opening_hours_holidays_and_pauses_differ(uber, glovo):
    hours = "Post opening hours, exceptions and pauses"
    glovo_hours, uber_hours = row(glovo, hours), row(uber, hours)

    assert ("weekly hours: no; holidays and other exceptions: no; pause: yes; a pause needs an end time: yes"
            in glovo_hours)
    assert "Glovo has no API to change regular opening hours or holidays" in glovo_hours
    assert ("weekly hours: no; holidays and other exceptions: yes; pause: yes; a pause needs an end time: no"
            in uber_hours)
    assert "Exceptions: holiday hours, each call overwrites all." in uber_hours


def test_the_webhooks_differ_thin_and_signed_against_full_and_token(uber, glovo):
    new_order = "Webhook: new order / reservation"
    assert "| yes | the webhook carries only the order's id (we fetch the order): yes; reservations too: no; "\
           "orders.notification / orders.scheduled.notification carry only " \
           "the order id: the order is fetched with one GET; the scheduled event marks the order scheduled " \
           "(v2 orders carry no target time) |" in row(uber, new_order)
    assert "| yes | the webhook carries only the order's id (we fetch the order): no; reservations too: no; " \
           "the full order, authenticated with the shared token" in row(
        glovo, new_order)

    assert (
        "- Webhook authentication: the body is signed: a changed body is rejected before "
        "it is stored; content types: application/json"
    ) in uber.splitlines()
    assert (
        "- Webhook authentication: a shared token, the body is not signed: the token "
        "proves the sender, a changed body cannot be detected; content types: application/json"
    ) in glovo.splitlines()


def test_deadlines_and_limits_differ(uber, glovo):
    assert "- Deadline: Accepted within 11.5 min, otherwise the order is auto-cancelled" in uber.splitlines()
    assert "- Deadline: Rejected within 11.5 min, otherwise the order is auto-cancelled" in uber.splitlines()
    assert "- No deadlines declared" in glovo.splitlines()
    assert "- Rate limit: oauth_token: at most 100 per 3600 s per channel" in uber.splitlines()
    assert "- Rate limit: update_catalog_item: at most 120 per 60 s per connection" in glovo.splitlines()


def test_status_overrides_per_service_type_are_listed(uber, glovo):
    # Outbound: Glovo's picked_up is OUT_FOR_DELIVERY, but PICKED_UP_BY_CUSTOMER for a collection.
    assert "| Picked up (orders) | OUT_FOR_DELIVERY |" in glovo.splitlines()
    assert "| Picked up (Collection) | PICKED_UP_BY_CUSTOMER |" in glovo.splitlines()
    # Inbound: Uber's FINISHED is delivered, but picked_up for a collection.
    assert "| FINISHED (orders) | Delivered |" in uber.splitlines()
    assert "| FINISHED (Collection) | Picked up |" in uber.splitlines()
    # Uber posts accept, deny and cancel; picked up and delivered only for a delivery (its own-courier endpoint).
    posted = uber.split("| We post | Channel status |")[1].split("\n## ")[0]
    assert [line for line in posted.splitlines() if line.startswith("| ") and "---" not in line] == [
        "| Accepted (orders) | ACCEPTED |", "| Rejected (orders) | DENIED |", "| Cancelled (orders) | CANCELED |",
        "| Picked up (Delivery) | started |", "| Delivered (Delivery) | delivered |"]


def test_credentials_differ(uber, glovo):
    assert "- client_id" in uber.splitlines()
    assert "- client_secret (secret, encrypted at rest)" in uber.splitlines()
    assert "- api_token (secret, encrypted at rest)" in glovo.splitlines()
    assert "- webhook_token (secret, encrypted at rest)" in glovo.splitlines()


def test_the_html_document_shows_the_webhook_authentication_and_the_overrides():
    html = document("glovo", "--format", "html")

    assert "<li>Webhook authentication: a shared token, the body is not signed: the token proves" in html
    assert "<tr><td>Picked up (Collection)</td><td>PICKED_UP_BY_CUSTOMER</td></tr>" in html
    assert "overrides the general row for orders of that service" in html
    uber_html = document("uber_eats", "--format", "html")
    assert "<tr><td>FINISHED (Collection)</td><td>Picked up</td></tr>" in uber_html
    assert "<li>Webhook authentication: the body is signed: a changed body is rejected" in uber_html


def test_each_channel_lists_the_fields_it_does_not_read_with_the_reason(uber, glovo):
    assert "## Fields we do not read" in uber and "## Fields we do not read" in glovo
    assert "| `**.formatted_amount` | display text of an amount we read exactly from its `amount` (minor units) |" \
        in uber.splitlines()
    assert "| `store_id` | our own store id, echoed" in glovo


def test_the_fields_dropped_today_are_shown_as_known_gaps_not_as_choices(uber, glovo):
    uber_gaps = uber.split("### Known gaps")[1]

    assert "| `payment.promotions` | each merchant-funded promotion (id, type, percentage, who funds it)" \
        in uber_gaps
    assert "`**.removed_items`" not in uber  # read since issue 13 (removed ingredients)
    assert "phone_code" not in uber  # read since issue 13 round 2 (Customer.phone_code), nowhere listed as dropped
    assert "### Known gaps" not in glovo  # pick_up_code, bundled_orders, customer.hash, invoicing_details: read
    assert "promotions" not in uber.split("### Known gaps")[0]


def test_the_html_document_lists_ignored_fields_and_known_gaps():
    html = document("uber_eats", "--format", "html")

    assert "<h2>Fields we do not read</h2>" in html
    assert "<td><code>payment.promotions</code></td>" in html
