"""Token stores: the SDK's in-memory one and the platform's Django cache (encrypted)."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import caches

from integrations.calls import DjangoCacheTokenStore
from integrations.http import MemoryTokenStore, StoredToken, TokenStore
from integrations.http.redaction import redact_text
from integrations.models import ChannelToken


def test_memory_store_round_trip_and_delete() -> None:
    # given
    store = MemoryTokenStore()
    token = StoredToken("memory-token-abcdef", expires_at=time.time() + 60)

    # when
    store.set("k", token)

    # then
    assert store.get("k") == token
    store.delete("k")
    assert store.get("k") is None
    store.delete("k")  # deleting twice is fine


def test_memory_store_is_safe_across_threads() -> None:
    # given
    store = MemoryTokenStore()

    def work(n: int) -> None:
        for i in range(200):
            store.set(f"k{n}-{i % 5}", StoredToken(f"token-{n}-{i % 5}", time.time() + 60))
            store.get(f"k{n}-{i % 5}")

    # when
    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert all(store.get(f"k{n}-0") is not None for n in range(8))


def test_both_stores_satisfy_the_protocol() -> None:
    assert isinstance(MemoryTokenStore(), TokenStore)
    assert isinstance(DjangoCacheTokenStore(), TokenStore)


@pytest.mark.django_db
def test_django_cache_store_round_trip_keeps_only_ciphertext_in_the_cache() -> None:
    # given
    store = DjangoCacheTokenStore()
    token = StoredToken("django-cache-token-0123456789", expires_at=time.time() + 300)

    # when
    store.set("conn-7", token)

    # then
    raw = caches["default"].get(store._cache_key("conn-7"))
    assert isinstance(raw, str)
    assert "django-cache-token" not in raw
    assert store.get("conn-7") == token
    assert "django-cache-token-0123456789" not in redact_text("leaked django-cache-token-0123456789")
    store.delete("conn-7")
    assert store.get("conn-7") is None


@pytest.mark.django_db
def test_django_cache_store_treats_an_unreadable_entry_as_missing() -> None:
    # given
    store = DjangoCacheTokenStore()
    caches["default"].set(store._cache_key("conn-8"), "not-a-fernet-token", 60)

    # when / then
    assert store.get("conn-8") is None
    assert caches["default"].get(store._cache_key("conn-8")) is None


def test_stored_token_freshness_honours_the_margin() -> None:
    token = StoredToken("t", expires_at=1000.0)
    assert token.is_fresh(margin_seconds=60, now=900)
    assert not token.is_fresh(margin_seconds=60, now=950)
    assert not token.is_fresh(now=1000)


@pytest.mark.django_db
def test_a_token_outlives_the_cache_in_the_database_encrypted() -> None:
    # given: a rotated refresh token (Wolt's: the only key to the venue), then the cache restarts empty
    store = DjangoCacheTokenStore()
    token = StoredToken("rotated-refresh-token-5f1c", expires_at=time.time() + 30 * 24 * 3600)
    store.set("wolt:refresh", token)
    caches["default"].delete(store._cache_key("wolt:refresh"))

    # when / then: read back from its row, which holds only ciphertext, and the cache is filled again
    assert store.get("wolt:refresh") == token
    assert "rotated-refresh-token" not in ChannelToken.objects.get().secret
    assert caches["default"].get(store._cache_key("wolt:refresh")) is not None
    store.delete("wolt:refresh")
    assert not ChannelToken.objects.exists() and store.get("wolt:refresh") is None


@pytest.mark.django_db
def test_an_expired_token_is_not_served_from_the_database_and_is_cleared() -> None:
    store = DjangoCacheTokenStore()
    store.set("old", StoredToken("old-token-0001", expires_at=time.time() + 1))
    ChannelToken.objects.update(expires_at="2000-01-01T00:00:00Z")
    caches["default"].delete(store._cache_key("old"))

    assert store.get("old") is None
    store.set("new", StoredToken("new-token-0002", expires_at=time.time() + 60))
    assert list(ChannelToken.objects.values_list("key", flat=True)) == [store._cache_key("new")]
