"""Secrets are masked in text, headers and log records, by value and by shape."""

from __future__ import annotations

import logging

from integrations.redaction import MASK, RedactingFilter, redact_headers, redact_text, remember_secret


def test_remembered_values_are_masked_anywhere():
    remember_secret("sk_live_remembered_123")

    assert redact_text("error for key sk_live_remembered_123 at /x") == f"error for key {MASK} at /x"


def test_secret_shapes_are_masked_even_when_never_seen():
    text = 'Authorization: Bearer abc.def.ghi {"client_secret": "zzz"} ?token=qqq&x=1 ("api_key=www")'

    redacted = redact_text(text)

    for value in ("abc.def.ghi", "zzz", "qqq", "www"):
        assert value not in redacted
    assert "x=1" in redacted


def test_headers_with_secret_names_are_masked():
    headers = redact_headers({"X-Market-Key": "k1", "X-Uber-Signature": "s1", "Accept": "json", "X-Api-Key": "k2"})

    assert headers == {"X-Market-Key": MASK, "X-Uber-Signature": MASK, "Accept": "json", "X-Api-Key": MASK}


def test_log_records_are_redacted_including_arguments_and_tracebacks():
    remember_secret("whsec_in_a_log_line")
    record = logging.LogRecord("t", logging.ERROR, __file__, 1, "bad secret %s", ("whsec_in_a_log_line",), None)
    try:
        raise ValueError("whsec_in_a_log_line leaked")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()

    RedactingFilter().filter(record)

    assert "whsec_in_a_log_line" not in record.getMessage()
    assert "whsec_in_a_log_line" not in record.exc_text


def test_many_rotating_tokens_stay_masked_and_the_oldest_are_forgotten(monkeypatch):
    from integrations.http import redaction  # the implementation, whose internals this test reaches

    monkeypatch.setattr(redaction, "_MAX_REMEMBERED", 50)
    for n in range(200):
        remember_secret(f"oauth-token-{n:04d}-xyz")

    assert redact_text("oauth-token-0199-xyz") == MASK
    assert len(redaction._known) == 50
