"""Each ticket button goes through the service the POS API uses: the order moves, the job is written, the market hears.

Against the Sandbox Market over real HTTP; the jobs are run in this process (``drain``) as a worker would.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from integrations.models import SyncJob
from orders.models import OrderStatus, StatusSource
from tests.factories.orders import OrderFactory
from tests.factories.restaurants import UserFactory
from tests.outbound.conftest import drain, fast_outbound  # noqa: F401

from .conftest import order_from_market, press, shown_messages, ticket_url

pytestmark = pytest.mark.django_db

Kind, State = SyncJob.Kind, SyncJob.State


def status_jobs(order) -> list[SyncJob]:
    return list(order.sync_jobs.filter(kind=Kind.ORDER_STATUS).order_by("id"))


def test_accept_moves_the_order_writes_the_job_and_reaches_the_market(admin_client, admin_user, market,
                                                                     market_connection):
    order = order_from_market(market, market_connection)

    response = press(admin_client, order, "accept", prep_minutes="25")

    assert response.redirect_chain[-1][0] == ticket_url(order)
    assert shown_messages(response) == [("success", "received → accepted: the channel will be told.")]
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    change = order.status_changes.last()
    assert (change.source, change.applied, change.to_status) == (StatusSource.STAFF, True, OrderStatus.ACCEPTED)
    [job] = status_jobs(order)
    assert (job.state, job.payload["update"]["status"], job.payload["update"]["prep_minutes"]) == (
        State.PENDING, "accepted", 25
    )
    assert drain() == ["succeeded"]
    assert market.get_ticket(order.channel_order_id)["state"] == "CONFIRMED"
    # the ticket now shows both sides: our move and what we sent
    page = admin_client.get(ticket_url(order))
    sides = [(entry.side, entry.what) for _when, entry in page.context["timeline"]]
    assert ("sinqro", "Staff: received → accepted") in sides
    assert ("sinqro", "Sent to Sandbox Market ES: accepted") in sides
    assert page.context["calls"][0]["call"].operation == "set_order_status"  # newest first


def test_reject_asks_for_a_reason_and_sends_it(admin_client, market, market_connection):
    order = order_from_market(market, market_connection)

    refused = press(admin_client, order, "reject", reason="  ")
    sent = press(admin_client, order, "reject", reason="kitchen closed")

    assert shown_messages(refused) == [("error", "Reject needs a reason: the channel tells the customer why")]
    order.refresh_from_db()
    assert order.status == OrderStatus.REJECTED
    [job] = status_jobs(order)
    assert job.payload["update"]["reason"] == "kitchen closed"
    assert shown_messages(sent)[0][0] == "success"
    drain()
    assert market.get_ticket(order.channel_order_id)["state"] == "DECLINED"


def test_a_move_the_state_machine_refuses_shows_why_and_writes_nothing(admin_client, market, market_connection):
    order = order_from_market(market, market_connection)
    press(admin_client, order, "accept")
    history, jobs = order.status_changes.count(), len(status_jobs(order))

    again = press(admin_client, order, "accept")
    reject = press(admin_client, order, "reject", reason="too late")
    table = press(admin_client, order, "confirm")

    assert shown_messages(again) == [("error", "Accept refused: same status")]
    assert shown_messages(reject) == [
        ("error", "Reject refused: rejected not allowed from accepted (only from received)")
    ]
    assert shown_messages(table) == [("error", "'confirm' is not a move for this order")]
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert (order.status_changes.count(), len(status_jobs(order))) == (history, jobs)


def test_kitchen_steps_of_a_collection_order_each_reach_the_market(admin_client, market, market_connection):
    order = order_from_market(market, market_connection, kind="TAKEAWAY")
    seen = []

    for move in ("accept", "preparing", "ready", "picked_up"):
        assert shown_messages(press(admin_client, order, move))[0][0] == "success", move
        drain()
        seen.append(market.get_ticket(order.channel_order_id)["state"])

    order.refresh_from_db()
    assert order.status == OrderStatus.PICKED_UP
    assert seen[:3] == ["CONFIRMED", "IN_KITCHEN", "READY"]
    assert [job.payload["update"]["status"] for job in status_jobs(order)] == [
        "accepted", "preparing", "ready", "picked_up"
    ]


def test_a_reservation_is_confirmed_then_seated_and_another_refused(admin_client, market, market_connection):
    booking = order_from_market(market, market_connection, booking=True, covers=4)
    other = order_from_market(market, market_connection, booking=True, covers=2)

    press(admin_client, booking, "confirm")
    drain()
    confirmed = market.get_ticket(booking.channel_order_id)["state"]
    press(admin_client, booking, "seat")
    press(admin_client, other, "refuse", reason="fully booked")
    drain()

    booking.refresh_from_db()
    other.refresh_from_db()
    assert (booking.status, other.status) == (OrderStatus.SEATED, OrderStatus.REJECTED)
    assert confirmed == "BOOKED"
    assert market.get_ticket(booking.channel_order_id)["state"] == "ARRIVED"
    assert market.get_ticket(other.channel_order_id)["state"] == "REFUSED"


def test_resend_retries_a_failed_status_job(admin_client, market, market_connection):
    order = order_from_market(market, market_connection)
    press(admin_client, order, "accept")
    [job] = status_jobs(order)
    SyncJob.objects.filter(pk=job.pk).update(state=State.FAILED, last_error="channel was down", attempts=8)

    response = press(admin_client, order, "resend")

    job.refresh_from_db()
    assert shown_messages(response)[0] == ("success", f"Status accepted queued again for the channel (job {job.pk}).")
    assert job.state == State.PENDING and job.max_attempts > job.attempts
    assert drain() == ["succeeded"]
    assert market.get_ticket(order.channel_order_id)["state"] == "CONFIRMED"


def test_resend_after_success_sends_the_same_status_again_and_refuses_once_the_order_moved_on(
    admin_client, market, market_connection
):
    order = order_from_market(market, market_connection)
    press(admin_client, order, "accept")
    drain()

    again = press(admin_client, order, "resend")
    first, second = status_jobs(order)
    drain()
    market.change_state(order.channel_order_id, "VOIDED", reason="customer cancelled")
    order.status = OrderStatus.CANCELLED  # as the channel's webhook would have moved it
    order.save(update_fields=["status"])
    moved_on = press(admin_client, order, "resend")

    assert shown_messages(again)[0] == ("success", f"Status accepted queued again for the channel (job {second.pk}).")
    assert second.payload["update"]["status"] == "accepted" and second.idempotency_key != first.idempotency_key
    assert shown_messages(moved_on) == [
        ("error", "the last status sent was accepted, but the order is cancelled now")
    ]
    assert len(status_jobs(order)) == 2


def test_fetch_again_takes_the_channels_news_and_records_the_call(admin_client, market, market_connection):
    order = order_from_market(market, market_connection)
    market.change_state(order.channel_order_id, "CONFIRMED")
    market.change_state(order.channel_order_id, "IN_KITCHEN")  # webhooks lost: we still say received

    response = press(admin_client, order, "fetch")

    order.refresh_from_db()
    assert shown_messages(response) == [
        ("success", "Fetched again from the channel (their status IN_KITCHEN); it moved received → preparing.")
    ]
    assert (order.status, order.channel_status) == (OrderStatus.PREPARING, "IN_KITCHEN")
    assert order.status_changes.last().source == StatusSource.CHANNEL
    assert market_connection.calls.filter(operation="get_order", correlation_id=order.correlation_id).count() == 1
    assert order.sync_jobs.count() == 0  # news from the channel is not sent back to it


def test_fetch_again_of_an_order_that_came_from_no_channel_is_refused(admin_client):
    order = OrderFactory(connection=None, channel_order_id="")

    response = press(admin_client, order, "fetch")

    assert shown_messages(response) == [("error", "this order did not come from a channel: there is nothing to fetch")]


def test_staff_who_may_only_view_orders_get_no_buttons_and_cannot_press_them(client, market, market_connection):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(viewer)
    order = order_from_market(market, market_connection)

    page = client.get(ticket_url(order))
    pressed = client.post(f"/admin/orders/order/{order.pk}/ticket/accept/")

    assert page.status_code == 200 and page.context["moves"] == [] and b"data-move=" not in page.content
    assert pressed.status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED


def test_reject_with_a_reason_code_and_out_of_stock_skus_carries_them_in_the_job(admin_client, market,
                                                                               market_connection):
    order = order_from_market(market, market_connection)
    sku = order.lines.exclude(sku="").filter(parent__isnull=True).first().sku

    response = press(admin_client, order, "reject", reason_code="items_unavailable", unavailable_items=[sku])

    assert shown_messages(response)[0][0] == "success"
    [job] = status_jobs(order)
    update = job.payload["update"]
    assert (update["status"], update["reason_code"], update["unavailable_items"]) == (
        "rejected", "items_unavailable", [sku]
    )
    assert update["reason"] == "Items out of stock"  # no words written: the code's own label is what is read
    assert order.status_changes.last().note == "Items out of stock"
    assert drain() == ["succeeded"]
    assert market.get_ticket(order.channel_order_id)["state"] == "DECLINED"


def test_a_reason_code_or_sku_that_does_not_fit_is_refused_and_nothing_is_written(admin_client, market,
                                                                                market_connection):
    order = order_from_market(market, market_connection)
    sku = order.lines.exclude(sku="").first().sku
    booking = order_from_market(market, market_connection, booking=True, covers=2)

    unknown_code = press(admin_client, order, "reject", reason_code="weather")
    foreign_sku = press(admin_client, order, "reject", reason_code="items_unavailable",
                        unavailable_items=["NOT-ON-IT"])
    sku_other_code = press(admin_client, order, "reject", reason_code="busy", unavailable_items=[sku])
    code_on_a_table = press(admin_client, booking, "refuse", reason="full", reason_code="busy")

    assert shown_messages(unknown_code) == [("error", "'weather' is not a reason code")]
    assert shown_messages(foreign_sku) == [("error", "not on this order: NOT-ON-IT")]
    assert shown_messages(sku_other_code) == [("error", "out-of-stock items need the reason “Items out of stock”")]
    assert shown_messages(code_on_a_table) == [("error", "Refuse the table takes no reason code")]
    order.refresh_from_db()
    booking.refresh_from_db()
    assert (order.status, booking.status) == (OrderStatus.RECEIVED, OrderStatus.REQUESTED)
    assert SyncJob.objects.count() == 0


def test_an_accepted_order_is_cancelled_with_a_code_and_words(admin_client, market, market_connection):
    order = order_from_market(market, market_connection)
    press(admin_client, order, "accept")

    response = press(admin_client, order, "cancel", reason_code="busy", reason="the oven broke")

    assert shown_messages(response) == [("success", "accepted → cancelled: the channel will be told.")]
    update = status_jobs(order)[-1].payload["update"]
    assert (update["status"], update["reason_code"], update["reason"]) == ("cancelled", "busy", "the oven broke")
    drain()
    assert market.get_ticket(order.channel_order_id)["state"] == "VOIDED"


def test_a_delivery_is_marked_delivered_and_the_market_hears_it(admin_client, market, market_connection):
    order = order_from_market(market, market_connection, kind="HOME_DELIVERY")
    press(admin_client, order, "accept")
    press(admin_client, order, "picked_up")

    response = press(admin_client, order, "delivered")

    assert shown_messages(response) == [("success", "picked_up → delivered: the channel will be told.")]
    drain()
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert market.get_ticket(order.channel_order_id)["state"] == "HANDED_OVER"


def test_a_table_goes_confirmed_arrived_seated_left_and_others_no_show_and_cancelled(admin_client, market,
                                                                                     market_connection):
    booking = order_from_market(market, market_connection, booking=True, covers=4)
    absent = order_from_market(market, market_connection, booking=True, covers=2)
    called_off = order_from_market(market, market_connection, booking=True, covers=6)
    for reservation in (booking, absent, called_off):
        press(admin_client, reservation, "confirm")

    at_the_door = press(admin_client, booking, "arrived")
    press(admin_client, booking, "seat")
    left = press(admin_client, booking, "complete")
    no_show = press(admin_client, absent, "no_show")
    cancelled = press(admin_client, called_off, "cancel", reason="the group called")
    drain()

    # The market has no "arrived" of its own: the move is ours, the page says so.
    assert shown_messages(at_the_door) == [("success", "confirmed → arrived: no channel takes this status.")]
    assert shown_messages(left) == [("success", "seated → completed: the channel will be told.")]
    assert shown_messages(no_show)[0][0] == shown_messages(cancelled)[0][0] == "success"
    for reservation in (booking, absent, called_off):
        reservation.refresh_from_db()
    assert (booking.status, absent.status, called_off.status) == (
        OrderStatus.COMPLETED, OrderStatus.NO_SHOW, OrderStatus.CANCELLED
    )
    assert [market.get_ticket(r.channel_order_id)["state"] for r in (booking, absent, called_off)] == [
        "FINISHED", "NO_SHOW", "VOIDED"
    ]
    assert [change.to_status for change in booking.status_changes.order_by("id")][-4:] == [
        "confirmed", "arrived", "seated", "completed"
    ]
