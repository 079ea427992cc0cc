"""What the manager reads: contents, channels beside repeated codes, refusals on the order, attention, today."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from integrations.models import ChannelCall, SyncAttempt, SyncJob
from integrations.pages.formatting import RestaurantLocale
from integrations.pages.status import restaurant_status
from restaurants.models import Pause
from tests.factories.catalog import ProductFactory
from tests.factories.integrations import ChannelFactory, ConnectionFactory
from tests.factories.orders import OptionLineFactory, OrderFactory, OrderLineFactory, ReservationFactory
from tests.factories.restaurants import RestaurantMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return RestaurantMemberFactory(restaurant__name="Casa Lucía", restaurant__slug="casa-lucia")


@pytest.fixture
def market(manager):
    return ConnectionFactory(restaurant=manager.restaurant, channel=ChannelFactory(name="Sandbox Market ES"))


@pytest.fixture
def live(client, manager):
    client.force_login(manager.user)
    return lambda: client.get("/restaurants/casa-lucia/live/").content.decode()


def test_an_order_shows_its_lines_options_removals_notes_total_type_and_channel(live, manager, market):
    order = OrderFactory(restaurant=manager.restaurant, connection=market, display_code="A12",
                         total_amount=Decimal("23.50"), notes="ring twice", allergy_notes="nuts")
    pizza = OrderLineFactory(order=order, name="Margherita", quantity=2, removed=[{"name": "basil"}],
                             notes="well done")
    OptionLineFactory(parent=pizza, name="Extra burrata", quantity=4)  # two on each pizza

    page = live()

    card = page[page.index(f'data-testid="order-{order.pk}"'):]
    for words in ("A12", "Sandbox Market ES", "Delivery", "€23.50", "2×</span> Margherita", "no basil",
                  "“well done”", "+ 2× Extra burrata", "ring twice", "Allergies: nuts"):
        assert words in card, words
    assert card.index("Margherita") < card.index("Extra burrata")
    assert 'class="depth-1"' in card  # the option sits under its product


def test_the_same_display_code_on_two_channels_is_told_apart_by_the_channel(live, manager, market):
    other = ConnectionFactory(restaurant=manager.restaurant, channel=ChannelFactory(name="Glovo Madrid"))
    OrderFactory(restaurant=manager.restaurant, connection=market, display_code="A7")
    OrderFactory(restaurant=manager.restaurant, connection=other, display_code="A7")

    page = live()

    assert page.count('<strong class="code">A7</strong>') == 2
    assert page.count('data-testid="channel">Sandbox Market ES<') == 1
    assert page.count('data-testid="channel">Glovo Madrid<') == 1


def test_reservations_are_their_own_list_with_time_diners_and_name(live, manager, market):
    evening = timezone.now().replace(hour=19, minute=30) + timedelta(days=1)
    ReservationFactory(restaurant=manager.restaurant, connection=market, customer_name="Marta Pons", diners=6,
                       reservation_at=evening, notes="birthday")
    OrderFactory(restaurant=manager.restaurant, connection=market, display_code="A1")

    page = live()
    reservations = page[page.index('data-testid="reservations"'):page.index('data-testid="today"')]
    orders = page[page.index('data-testid="orders"'):page.index('data-testid="reservations"')]

    assert "Marta Pons" in reservations and "6 diners" in reservations and "birthday" in reservations
    assert RestaurantLocale.of(manager.restaurant).clock(evening) in reservations
    assert "Marta Pons" not in orders and "A1" in orders and "A1" not in reservations


def test_a_channels_409_is_shown_on_the_order_and_the_connection_stays_healthy(live, manager, market):
    order = OrderFactory(restaurant=manager.restaurant, connection=market, display_code="B8", status="ready")
    job = SyncJob.objects.create(connection=market, order=order, kind="order_status", state="failed",
                                 payload={"update": {"status": "ready"}},
                                 last_error="HTTP 409 invalid_transition: SM-000008 cannot go from NEW to READY")
    SyncAttempt.objects.create(job=job, number=1, outcome="permanent", status_code=409, error=job.last_error)
    ChannelCall.objects.create(connection=market, method="POST", url="https://market/tickets/SM-000008/state",
                               status_code=409, outcome="permanent")
    market.consecutive_failures, market.last_error = 1, "HTTP 409"
    market.save(update_fields=["consecutive_failures", "last_error"])

    page = live()

    card = page[page.index(f'data-testid="order-{order.pk}"'):]
    assert "Sandbox Market ES refused it:" in card and "cannot go from NEW to READY" in card
    channel_card = page[page.index(f'data-testid="card-{market.pk}"'):]
    assert 'data-testid="health">reachable<' in channel_card and "Failing" not in channel_card
    attention = page[page.index('data-testid="attention"'):page.index('data-testid="orders"')]
    assert "B8" in attention and "the channel refused our last status" in attention


def test_a_real_connection_fault_still_shows_as_one(live, manager, market):
    SyncJob.objects.create(connection=market, kind="opening_hours", state="failed", payload={},
                           target="opening hours", last_error="gave up after 8 attempts: HTTP 503")
    ChannelCall.objects.create(connection=market, method="PUT", url="https://market/opening-hours",
                               status_code=503, outcome="retryable")
    market.consecutive_failures, market.last_error = 1, "HTTP 503"
    market.save(update_fields=["consecutive_failures", "last_error"])

    page = live()

    assert "1 failed call in a row: HTTP 503" in page and "Failing" in page
    assert "Try again" in page  # what to do, in "needs attention"


def test_try_again_sends_a_failed_job_again(client, manager, market):
    job = SyncJob.objects.create(connection=market, kind="opening_hours", state="failed", payload={},
                                 attempts=8, max_attempts=8, last_error="HTTP 503")
    stranger = SyncJob.objects.create(connection=ConnectionFactory(), kind="opening_hours", state="failed",
                                      payload={})
    client.force_login(manager.user)

    client.post(f"/restaurants/casa-lucia/jobs/{job.pk}/retry/")

    job.refresh_from_db()
    assert job.state == "pending" and job.max_attempts > job.attempts
    assert client.post(f"/restaurants/casa-lucia/jobs/{stranger.pk}/retry/").status_code == 404
    assert SyncJob.objects.get(pk=stranger.pk).state == "failed"


def test_an_order_waiting_too_long_says_what_to_do(live, manager, market):
    OrderFactory(restaurant=manager.restaurant, connection=market, display_code="C3", needs_attention=True,
                 attention_reason="Not acted on: still received more than 5 min after it arrived")

    attention = live().split('data-testid="attention"')[1].split('data-testid="orders"')[0]

    assert "C3" in attention and "nobody has acted on it: still received since" in attention
    assert "Accept" in attention and "Reject" in attention


def test_resume_shows_only_when_the_restaurant_is_paused(client, manager, market):
    client.force_login(manager.user)
    assert 'data-testid="resume-all"' not in client.get("/restaurants/casa-lucia/").content.decode()

    Pause.objects.create(restaurant=manager.restaurant, until=timezone.now() + timedelta(minutes=20), reason="rush")

    assert 'data-testid="resume-all"' in client.get("/restaurants/casa-lucia/").content.decode()


def test_todays_orders_and_takings_per_channel_in_the_restaurants_day(live, manager, market):
    glovo = ConnectionFactory(restaurant=manager.restaurant, channel=ChannelFactory(name="Glovo Madrid"))
    now = timezone.now()
    for amount in ("10.00", "12.50"):
        OrderFactory(restaurant=manager.restaurant, connection=market, total_amount=Decimal(amount), placed_at=now)
    OrderFactory(restaurant=manager.restaurant, connection=market, total_amount=Decimal("99"), status="rejected",
                 placed_at=now)
    OrderFactory(restaurant=manager.restaurant, connection=glovo, total_amount=Decimal("8.00"), placed_at=now)
    OrderFactory(restaurant=manager.restaurant, connection=glovo, total_amount=Decimal("50"),
                 placed_at=now - timedelta(days=1, hours=1))  # yesterday
    OrderFactory(restaurant=manager.restaurant, connection=glovo, total_amount=Decimal("40"), is_test=True,
                 placed_at=now)
    ReservationFactory(restaurant=manager.restaurant, connection=market, placed_at=now)

    today = restaurant_status(manager.restaurant).today

    assert [(row.channel, row.orders, row.takings) for row in today.rows] == [
        ("Glovo Madrid", 1, Decimal("8.00")), ("Sandbox Market ES", 3, Decimal("22.50"))]
    assert today.orders == 4 and today.takings_text == "€30.50"
    assert today.rows[1].bar_width > today.rows[0].bar_width > 0
    page = live()
    assert "<svg" in page and "4 orders" in page and "€22.50" in page


def test_money_and_dates_follow_the_restaurants_language_and_timezone():
    spanish = RestaurantLocale("es", ZoneInfo("Europe/Madrid"), "EUR")
    moment = timezone.datetime(2026, 12, 1, 20, 30, tzinfo=ZoneInfo("UTC"))

    assert spanish.money(Decimal("1234.5")) == "1\xa0234,50\xa0€"
    assert spanish.clock(moment) == "21:30" and spanish.day(moment).lower() == "mar 1 dic"
    assert RestaurantLocale("en", ZoneInfo("Europe/London"), "GBP").money(Decimal("7")) == "£7.00"


def test_the_page_in_spanish_with_the_restaurants_money_and_the_switcher(client, manager, market):
    from sinqro_platform.languages.models import RestaurantLanguage

    RestaurantLanguage.objects.create(restaurant=manager.restaurant, language="es")
    ReservationFactory(restaurant=manager.restaurant, connection=market, customer_name="Marta Pons", diners=2)
    OrderFactory(restaurant=manager.restaurant, connection=market, total_amount=Decimal("28.00"))
    ProductFactory(restaurant=manager.restaurant, name="Margherita")
    client.force_login(manager.user)

    english = client.get("/restaurants/casa-lucia/").content.decode()
    assert "Needs attention" in english and "28,00\xa0€" in english  # the reader's words, the restaurant's money
    assert 'id="language-switcher-select"' in english

    client.post("/i18n/setlang/", {"language": "es", "next": "/restaurants/casa-lucia/"})
    spanish = client.get("/restaurants/casa-lucia/").content.decode()

    for words in ("Requiere atención", "Pedidos", "Reservas", "2 comensales", "Confirmar", "Marcar agotado",
                  "Pausar todos los canales", "Cerrar sesión", 'lang="es"'):
        assert words in spanish, words
    assert "Needs attention" not in spanish


def test_a_circuit_opening_is_told_on_the_restaurants_clock(live, manager, market):
    until = timezone.now() + timedelta(minutes=2)
    market.circuit_open_until, market.consecutive_failures = until, 5
    market.save(update_fields=["circuit_open_until", "consecutive_failures"])

    page = live()

    madrid = until.astimezone(ZoneInfo("Europe/Madrid")).strftime("%H:%M:%S")
    assert f"unreachable: calls paused until {madrid} (5 failures)" in page
