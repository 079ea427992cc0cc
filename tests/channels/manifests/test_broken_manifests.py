"""A broken manifest fails ``channel_manifest check`` naming the line and the fix, and never reaches the registry.

Each case is GloriaFood's manifest with one mistake, beside a copy of GloriaFood's corpus; the line expected is
found in the broken text itself, so the test says which line the mistake is on, not a number remembered.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import shutil
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pydantic import SecretStr

from integrations.channels.context import ConnectionInfo
from integrations.channels.errors import WebhookRejected
from integrations.channels.manifests import ManifestInvalid, load_manifest
from integrations.channels.registry import discover_manifests

CHANNEL = Path(__file__).resolve().parents[3] / "integrations" / "channels" / "gloriafood"
TEXT = (CHANNEL / "manifest.yaml").read_text()
TOKEN_AUTH = "    token: {header: Authorization, secrets: [master_key, previous_master_key]}\n"


def channel(tmp_path: Path, text: str, slug: str = "gloriafood") -> Path:
    folder = tmp_path / slug
    shutil.copytree(CHANNEL / "corpus", folder / "corpus")
    (folder / "manifest.yaml").write_text(text)
    return folder / "manifest.yaml"


def broken(original: str, mistake: str) -> str:
    assert original in TEXT, f"the manifest no longer says {original!r}: update the test"
    return TEXT.replace(original, mistake, 1)


def line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if fragment in line)


def check(path: Path) -> str:
    out = StringIO()
    with pytest.raises(CommandError, match="the manifest is refused"):
        call_command("channel_manifest", "check", str(path), stdout=out)
    return out.getvalue()


def assert_refused_everywhere(path: Path, *expected: str) -> str:
    printed = check(path)
    for fragment in expected:
        assert fragment in printed, printed
    assert discover_manifests(path.parent.parent) == {}, "the registry took a manifest with problems"
    return printed


def test_the_intact_manifest_passes_and_is_registered(tmp_path):
    path = channel(tmp_path, TEXT)
    out = StringIO()
    call_command("channel_manifest", "check", str(path), stdout=out)

    assert "the manifest passes" in out.getvalue()
    assert list(discover_manifests(tmp_path)) == ["gloriafood"]


def test_a_wrong_field_path_is_named_with_its_line_and_the_field_meant(tmp_path):
    text = broken("phone: {path: client_phone,", "phone: {path: client_phon,")
    printed = assert_refused_everywhere(channel(tmp_path, text), "'client_phon'", "did you mean 'client_phone'?")

    assert f"manifest.yaml:{line_of(text, 'client_phon')}:" in printed


def test_a_field_the_canonical_order_does_not_have_is_named(tmp_path):
    text = broken("        phone: {path: client_phone,", "        phon: {path: client_phone,")
    printed = assert_refused_everywhere(channel(tmp_path, text), "Customer has no field 'phon'", "'phone'")

    assert f"manifest.yaml:{line_of(text, 'phon: {path')}:" in printed


def test_an_unknown_canonical_status_is_named_with_its_line(tmp_path):
    text = broken("inbound: {accepted: accepted}", "inbound: {accepted: acepted}")
    printed = assert_refused_everywhere(channel(tmp_path, text), "'acepted' is not one of", "use a canonical status")

    assert f"manifest.yaml:{line_of(text, 'acepted')}:" in printed


def test_a_misspelt_section_is_named_with_the_one_meant(tmp_path):
    text = broken("\nwebhook:\n", "\nwebhok:\n")
    printed = assert_refused_everywhere(channel(tmp_path, text), "unknown key 'webhok' (did you mean 'webhook'?)")

    assert f"manifest.yaml:{line_of(text, 'webhok:')}:" in printed


HMAC = ("    hmac:\n      header: X-Glf-Signature\n      algorithm: {algorithm}\n      encoding: base64\n"
        "      signed: \"{signed}\"\n      secrets: [master_key]\n"
        "      timestamp: {{header: X-Glf-Timestamp, tolerance_seconds: 300}}\n")


def hmac_auth(algorithm: str = "sha256", signed: str = "{timestamp}.{body}") -> str:
    return broken(TOKEN_AUTH, HMAC.format(algorithm=algorithm, signed=signed))


@pytest.mark.parametrize(("signed", "algorithm", "expected"), [
    ("{timestamp}", "sha256", "does not include {body}: a tampered body would pass"),
    ("{timestamp}.{bodyy}", "sha256", "{bodyy} is not something a channel can sign"),
    ("{body}", "sha256", "the timestamp is checked but not signed"),
    ("{timestamp}.{body}", "sha265", "'sha265' is not one of: sha1, sha256, sha512"),
])
def test_a_bad_hmac_recipe_is_named_with_its_line(tmp_path, signed, algorithm, expected):
    text = hmac_auth(algorithm, signed)
    printed = assert_refused_everywhere(channel(tmp_path, text), expected)

    flagged = "algorithm:" if algorithm != "sha256" else ("signed:" if "timestamp is checked" not in expected
                                                          else "timestamp: {header")
    assert f"manifest.yaml:{line_of(text, flagged)}:" in printed


def test_a_sound_hmac_recipe_checks_the_exact_signed_string(tmp_path):
    module = load_manifest(channel(tmp_path, hmac_auth()))
    connection = ConnectionInfo(connection_id=1, store_id="s", environment="sandbox", base_url="",
                                credentials=module.credentials(master_key=SecretStr("shh-secret")))
    body = b'{"count":1,"orders":[]}'
    now = datetime(2026, 3, 14, 19, 0, tzinfo=UTC)
    stamp = str(int(now.timestamp()))
    # What the channel would send, computed here with the standard library from the recipe's words.
    signature = base64.b64encode(hmac.new(b"shh-secret", f"{stamp}.".encode() + body, hashlib.sha256).digest())
    headers = {"X-Glf-Signature": signature.decode(), "X-Glf-Timestamp": stamp}

    module().verify_webhook(connection, body, headers, now)
    with pytest.raises(WebhookRejected, match="does not match"):
        module().verify_webhook(connection, body.replace(b"[]", b"[ ]"), headers, now)
    with pytest.raises(WebhookRejected, match="tolerance"):
        module().verify_webhook(connection, body, headers, now + timedelta(minutes=6))
    with pytest.raises(WebhookRejected, match="missing X-Glf-Signature"):
        module().verify_webhook(connection, body, {"X-Glf-Timestamp": stamp}, now)
    assert module.webhook_signs_body


def test_a_problem_found_when_loading_lists_every_problem_at_once(tmp_path):
    text = broken("inbound: {accepted: accepted}", "inbound: {accepted: acepted}").replace(
        "  get_status:\n", "  get_statuss:\n", 1)
    with pytest.raises(ManifestInvalid) as refused:
        load_manifest(channel(tmp_path, text))

    messages = [problem.message for problem in refused.value.problems]
    assert any("acepted" in message for message in messages)
    assert any("get_statuss" in message for message in messages)
    assert all(problem.line for problem in refused.value.problems)


def test_the_registry_logs_a_refused_manifest_with_every_problem_and_keeps_the_others(tmp_path, caplog):
    channel(tmp_path, broken("inbound: {accepted: accepted}", "inbound: {accepted: acepted}"), slug="broken")
    channel(tmp_path, TEXT.replace("slug: gloriafood", "slug: intact"), slug="intact")

    with caplog.at_level("ERROR", logger="integrations.channels.registry"):
        found = discover_manifests(tmp_path)

    assert list(found) == ["intact"]
    [record] = caplog.records
    assert "broken/manifest.yaml refused" in record.getMessage() and "'acepted' is not one of" in record.getMessage()
