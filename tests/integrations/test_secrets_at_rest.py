"""Credentials are encrypted at rest with a key ring, and rotation keeps old rows readable."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection as db

from integrations.models import Connection
from integrations.secrets import SecretDict
from tests.factories.integrations import SANDBOX_API_KEY, ConnectionFactory

pytestmark = pytest.mark.django_db


def raw_column(pk: int) -> str:
    with db.cursor() as cursor:
        cursor.execute("SELECT credentials FROM integrations_connection WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_database_column_never_holds_the_clear_secret():
    connection = ConnectionFactory()

    stored = raw_column(connection.pk)

    assert SANDBOX_API_KEY not in stored
    assert "api_key" not in stored  # even the field names are inside the ciphertext
    assert Connection.objects.get(pk=connection.pk).credentials["api_key"] == SANDBOX_API_KEY


def test_decrypted_credentials_print_masked():
    credentials = ConnectionFactory().credentials

    assert isinstance(credentials, SecretDict)
    assert SANDBOX_API_KEY not in repr(credentials)
    assert SANDBOX_API_KEY not in str(credentials)
    assert SANDBOX_API_KEY not in f"{credentials}"


def test_rotation_old_keys_still_decrypt_and_new_writes_use_the_first_key(settings):
    old_key = settings.SINQRO_SECRET_KEYS[0]
    connection = ConnectionFactory()
    written_with_old = raw_column(connection.pk)
    new_key = Fernet.generate_key().decode()

    settings.SINQRO_SECRET_KEYS = [new_key, old_key]
    reread = Connection.objects.get(pk=connection.pk)
    reread.save()

    assert reread.credentials["api_key"] == SANDBOX_API_KEY
    rewritten = raw_column(connection.pk)
    assert rewritten != written_with_old
    Fernet(new_key.encode()).decrypt(rewritten.encode())  # the first key alone opens it now
    settings.SINQRO_SECRET_KEYS = [new_key]
    assert Connection.objects.get(pk=connection.pk).credentials["api_key"] == SANDBOX_API_KEY


def test_a_ring_without_the_key_fails_loudly_without_leaking(settings):
    connection = ConnectionFactory()
    settings.SINQRO_SECRET_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(ImproperlyConfigured) as failure:
        Connection.objects.get(pk=connection.pk)

    assert "cannot be decrypted" in str(failure.value)
    assert SANDBOX_API_KEY not in str(failure.value)


def test_rotate_secrets_command_reencrypts_every_connection(settings):
    from django.core.management import call_command

    old_key = settings.SINQRO_SECRET_KEYS[0]
    connections = ConnectionFactory.create_batch(3)
    new_key = Fernet.generate_key().decode()
    settings.SINQRO_SECRET_KEYS = [new_key, old_key]

    call_command("rotate_secrets")

    settings.SINQRO_SECRET_KEYS = [new_key]
    for connection in connections:
        assert Connection.objects.get(pk=connection.pk).credentials["api_key"] == SANDBOX_API_KEY
