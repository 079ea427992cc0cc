"""The replay window of ``webhook_auth``: a signed timestamp must be near now, on either side."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from integrations.channels.errors import WebhookRejected
from integrations.channels.webhook_auth import require_fresh_timestamp

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
TOLERANCE = timedelta(minutes=5)


def unix(at: datetime) -> str:
    return str(int(at.timestamp()))


@pytest.mark.parametrize("offset", [timedelta(0), timedelta(minutes=5), -timedelta(minutes=5),
                                    timedelta(seconds=299), -timedelta(seconds=299)])
def test_a_timestamp_within_the_tolerance_either_side_is_fresh(offset):
    require_fresh_timestamp(unix(NOW + offset), NOW, TOLERANCE)


@pytest.mark.parametrize("offset", [timedelta(minutes=5, seconds=1), timedelta(hours=1), timedelta(days=365)])
def test_a_timestamp_from_the_future_is_refused_like_an_old_one(offset):
    # A timestamp ahead of now is no proof of freshness: a sender (or an attacker holding one signed body)
    # could pre-date it to keep it replayable long after the window of a genuine event closed.
    for raw in (unix(NOW + offset), unix(NOW - offset)):
        with pytest.raises(WebhookRejected, match="outside the 300 s tolerance") as rejected:
            require_fresh_timestamp(raw, NOW, TOLERANCE, header="X-Market-Timestamp")
        assert rejected.value.status_code == 401


@pytest.mark.parametrize("raw", [None, "", "soon", "1.5e9", "99999999999999999999"])
def test_a_missing_or_unreadable_timestamp_is_refused(raw):
    with pytest.raises(WebhookRejected):
        require_fresh_timestamp(raw, NOW, TOLERANCE)
