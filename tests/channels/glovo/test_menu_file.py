"""The menu file Glovo downloads (``menu_url``): hosted by the platform at /channel-files/<token>, no login,
gone once expired, Bearer-checked when the connection asks for it, purged by the retention task."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.connections import PlatformTransport
from integrations.models import HostedDocument
from integrations.retention import purge_old_records
from tests.factories.integrations import ConnectionFactory

pytestmark = pytest.mark.django_db
MENU = b'{"products": [{"id": "PIZ-MARG", "price": 11.5}]}'


def host(connection, ttl=timedelta(hours=1), bearer_token=None) -> str:
    return PlatformTransport(connection.pk).host_document("glovo/menus/store-1.json", MENU, "application/json",
                                                          ttl=ttl, bearer_token=bearer_token)


def test_a_hosted_menu_is_served_without_login_at_an_unguessable_url_under_the_public_url(client, settings):
    settings.SINQRO_PUBLIC_URL = "https://sinqro.example/"
    connection = ConnectionFactory()

    first, second = host(connection), host(connection)
    response = client.get(first.removeprefix("https://sinqro.example"))

    assert first.startswith("https://sinqro.example/channel-files/") and first != second
    assert len(first.rsplit("/", 1)[1]) >= 40  # 32 random bytes, URL-safe
    assert response.status_code == 200 and response.content == MENU
    assert response["Content-Type"] == "application/json" and response["Cache-Control"] == "no-store"
    assert HostedDocument.objects.get(token=first.rsplit("/", 1)[1]).downloads == 1


def test_an_unknown_or_expired_file_is_404(client, settings):
    settings.SINQRO_PUBLIC_URL = "https://sinqro.example"
    url = host(ConnectionFactory())
    HostedDocument.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert client.get(url.removeprefix("https://sinqro.example")).status_code == 404
    assert client.get("/channel-files/not-a-token").status_code == 404


def test_a_file_hosted_with_a_bearer_token_needs_it(client, settings):
    settings.SINQRO_PUBLIC_URL = "https://sinqro.example"
    path = host(ConnectionFactory(), bearer_token="menu-secret-0001").removeprefix("https://sinqro.example")

    missing = client.get(path)
    wrong = client.get(path, HTTP_AUTHORIZATION="Bearer menu-secret-0002")
    bare = client.get(path, HTTP_AUTHORIZATION="menu-secret-0001")
    right = client.get(path, HTTP_AUTHORIZATION="Bearer menu-secret-0001")

    assert [r.status_code for r in (missing, wrong, bare)] == [401, 401, 401]
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert right.status_code == 200 and right.content == MENU
    assert "menu-secret-0001" not in HostedDocument.objects.values_list("bearer_token_hash", flat=True)


def test_a_hosted_file_cannot_be_changed_over_http(client, settings):
    path = host(ConnectionFactory()).removeprefix(settings.SINQRO_PUBLIC_URL.rstrip("/"))

    assert client.post(path, b"{}", content_type="application/json").status_code == 405
    assert client.delete(path).status_code == 405


def test_retention_purges_expired_files_and_keeps_live_ones():
    connection = ConnectionFactory()
    host(connection, ttl=timedelta(minutes=5))
    kept = host(connection, ttl=timedelta(days=1))

    report = purge_old_records(now=timezone.now() + timedelta(hours=1))

    assert report.hosted_documents == 1
    assert list(HostedDocument.objects.values_list("token", flat=True)) == [kept.rsplit("/", 1)[1]]


def test_a_time_to_live_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        host(ConnectionFactory(), ttl=timedelta(0))


def test_staff_see_whether_the_channel_fetched_a_hosted_file_but_not_its_secret(admin_client, client, settings):
    settings.SINQRO_PUBLIC_URL = "https://sinqro.example"
    url = host(ConnectionFactory(), bearer_token="menu-secret-0001")
    client.get(url.removeprefix("https://sinqro.example"), HTTP_AUTHORIZATION="Bearer menu-secret-0001")
    document = HostedDocument.objects.get()

    listing = admin_client.get(reverse("admin:integrations_hosteddocument_changelist"))
    page = admin_client.get(reverse("admin:integrations_hosteddocument_change", args=[document.pk]))

    assert listing.status_code == 200 and "glovo/menus/store-1.json" in listing.content.decode()
    html = page.content.decode()
    assert page.status_code == 200 and "Download needs a Bearer token" in html
    assert document.downloads == 1 and document.token not in html and "menu-secret-0001" not in html
