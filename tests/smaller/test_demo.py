"""`make demo`: its addresses follow its ports and are served, its logins can be shown again (reset) or set,
its console is quiet unless asked, and the market has the menu and hours before the first order."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from catalog.demo import ensure_demo_restaurant, seed_demo_catalog
from integrations.demo import connect_restaurant_to_sandbox, publish_menu_and_hours
from restaurants.demo import add_demo_opening_hours
from scripts import demo

ROOT = Path(settings.BASE_DIR)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def printed_password(output: str, username: str) -> str:
    line = next(line for line in output.splitlines() if line.strip().startswith(f"{username} / "))
    return line.split(" / ", 1)[1].split()[0]


# --- addresses and console ------------------------------------------------------------------------------


def test_the_printed_addresses_follow_the_ports_and_none_is_the_404_site_root():
    addresses = demo.urls(8731, 8732)
    assert all(re.match(r"http://127\.0\.0\.1:873[12]/", url) for url in addresses.values())
    assert "http://127.0.0.1:8731/" not in addresses.values()  # the old "Site" link: nothing is served there
    assert addresses["Sandbox Market (what the channel received)"] == "http://127.0.0.1:8732/"


def test_the_quiet_console_drops_request_lines_but_keeps_server_errors():
    assert demo.is_noise('[01/Dec/2026 11:56:18] "GET /restaurants/casa-lucia/live HTTP/1.1" 200 5120\n')
    assert demo.is_noise("2026-12-01 11:56:17,979 WARNING django.request Not Found: /favicon.ico\n")
    assert not demo.is_noise('[01/Dec/2026 11:56:18] "POST /webhooks/abc/ HTTP/1.1" 500 145\n')
    assert not demo.is_noise("ERROR integrations.outbound job 12 failed\n")


# --- logins ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_run_says_how_to_get_a_password_and_does_not_change_it(monkeypatch):
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    first = seed()
    password = printed_password(first, "admin")
    again = seed()
    assert "admin: password unchanged" in again and "DEMO_RESET_PASSWORDS=1" in again
    assert get_user_model().objects.get(username="admin").check_password(password)


@pytest.mark.django_db
def test_demo_admin_password_applies_to_an_existing_user(monkeypatch):
    seed()
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "paella-los-domingos")
    output = seed()
    assert "admin / paella-los-domingos" in output
    assert get_user_model().objects.get(username="admin").check_password("paella-los-domingos")


@pytest.mark.django_db
def test_reset_passwords_prints_new_ones_that_work(monkeypatch):
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("DEMO_MANAGER_PASSWORD", raising=False)
    old = printed_password(seed(), "lucia")
    output = seed("--reset-passwords")
    users = get_user_model().objects
    for username in ("admin", "lucia"):
        assert users.get(username=username).check_password(printed_password(output, username))
    assert printed_password(output, "lucia") != old and not users.get(username="lucia").check_password(old)


@pytest.mark.django_db
def test_the_reset_can_come_from_the_environment(monkeypatch):
    seed()
    monkeypatch.setenv("DEMO_RESET_PASSWORDS", "1")
    output = seed()
    assert get_user_model().objects.get(username="admin").check_password(printed_password(output, "admin"))


# --- the market has the menu and the hours before the first order ----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_menu_and_hours_reach_the_market_before_any_worker_runs(market):
    restaurant, _created = ensure_demo_restaurant()
    seed_demo_catalog(restaurant)
    add_demo_opening_hours(restaurant)
    connected = connect_restaurant_to_sandbox(restaurant, market_url=market.url, public_url="http://127.0.0.1:9")
    api_key = connected.connection.credentials["api_key"]
    assert market.api("GET", restaurant.slug, "/menu", api_key).body["menus"] == []
    assert market.api("GET", restaurant.slug, "/opening-hours", api_key).body["weekly"] == []

    published = publish_menu_and_hours(connected.connection, timeout=60)

    assert published.succeeded, published.summary()
    menu = market.api("GET", restaurant.slug, "/menu", api_key).body
    assert menu["menus"] and "PIZ-MARG" in str(menu)
    assert market.api("GET", restaurant.slug, "/opening-hours", api_key).body["weekly"]


# --- the demo itself, on other ports ----------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status(url: str) -> int:
    request = urllib.request.Request(url)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs on its own SQLite")
def test_make_demo_on_other_ports_prints_addresses_that_answer_and_stays_quiet(tmp_path):
    web_port, market_port = _free_port(), _free_port()
    env = {**os.environ, "SINQRO_PORT": str(web_port), "SANDBOX_MARKET_PORT": str(market_port),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}", "SINQRO_VAR_DIR": str(tmp_path / "var"),
           "DEMO_ORDERS_PER_MINUTE": "30", "CELERY_BROKER_URL": "", "CACHE_URL": ""}
    env = {key: value for key, value in env.items() if value != ""}
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    log = tmp_path / "demo.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "scripts/demo.py"], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 150
        while "Press Ctrl-C to stop." not in log.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(0.5)
        text = log.read_text()
        assert "Press Ctrl-C to stop." in text, text
        assert "Menu and opening hours on the market" in text
        printed = re.findall(r"http://127\.0\.0\.1:\d+/\S*", text.split("Sinqro demo is running:")[1])
        assert printed and all(f":{web_port}/" in url or f":{market_port}/" in url for url in printed)
        for url in printed:
            assert _status(url) in (200, 302), url  # 302: to the login page
        assert re.search(r"admin / \S+", text) and re.search(r"lucia / \S+", text)
        time.sleep(3)  # the web page polls and the generator sends: nothing of it in a quiet console
        assert not re.search(r'"GET \S+ HTTP/1\.1" 200', log.read_text())
        assert ":8000" not in log.read_text()
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.django_db
def test_the_demo_restaurant_speaks_spanish_by_default():
    from sinqro_platform.languages.lookup import restaurant_language

    seed()
    restaurant, _created = ensure_demo_restaurant()
    assert restaurant_language(restaurant) == "es"


@pytest.mark.django_db
def test_the_admins_view_site_link_is_not_a_404(admin_client):
    index = admin_client.get("/admin/").content.decode()
    assert 'href="/restaurants/"' in index
    assert admin_client.get("/restaurants/").status_code == 200
