"""Switching connections on and off without admin: what changed, what already was, what still cannot work."""

from __future__ import annotations

import pytest

from integrations.connection_actions import set_enabled
from integrations.models import Connection
from tests.factories.integrations import ChannelFactory, ConnectionFactory

pytestmark = pytest.mark.django_db


def test_disabling_switches_the_enabled_ones_and_reports_the_ones_already_off():
    on, off = ConnectionFactory(), ConnectionFactory(enabled=False)

    switched = set_enabled([on.pk, off.pk], enabled=False)

    assert (switched.changed, switched.unchanged) == ((on.pk,), (off.pk,))
    assert not Connection.objects.filter(enabled=True).exists()


def test_enabling_a_connection_of_a_disabled_channel_is_done_and_reported():
    connection = ConnectionFactory(enabled=False, channel=ChannelFactory(enabled=False))

    switched = set_enabled([connection.pk], enabled=True)

    assert switched.changed == (connection.pk,) and switched.channel_disabled == (connection.pk,)
    assert Connection.objects.get(pk=connection.pk).enabled is True
