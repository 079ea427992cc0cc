"""Arbitrary bytes and headers at the endpoint: never a 5xx, nothing unauthenticated stored in full."""

from __future__ import annotations

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from integrations.models import WebhookEvent, WebhookRejection

from .conftest import webhook_url

pytestmark = pytest.mark.django_db

header_names = st.one_of(
    st.sampled_from(["X-Market-Signature", "X-Market-Timestamp", "X-Market-Event-Id", "Authorization", "User-Agent"]),
    st.from_regex(r"\AX-[A-Za-z0-9-]{1,20}\Z"),
)
header_values = st.one_of(
    st.text(max_size=80),
    st.just(str(int(timezone.now().timestamp()))),  # a fresh timestamp, so the signature check is reached
    st.from_regex(r"\Av1=[0-9a-f]{64}\Z"),
)
content_types = st.one_of(
    st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain", ""]),
    st.text(max_size=30),
)


@hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.binary(max_size=3000),
    headers=st.dictionaries(header_names, header_values, max_size=6),
    content_type=content_types,
    method=st.sampled_from(["post", "put"]),
)
def test_arbitrary_requests_never_crash_and_store_nothing_unauthenticated(
    client, connection, settings, body, headers, content_type, method
):
    settings.WEBHOOK_MAX_BODY_BYTES = 2048

    response = getattr(client, method)(
        webhook_url(connection), data=body, content_type=content_type, headers=headers
    )

    assert response.status_code < 500
    assert response.status_code in (401, 403, 413, 415)
    assert "code" in response.json()["error"]
    assert WebhookEvent.objects.count() == 0
    assert all(len(sample) <= 1024 for sample in WebhookRejection.objects.values_list("body_sample", flat=True))
