"""The kit in one go for a manifest (``manage.py channel_manifest check``): schema, meaning, declaration, corpus.

After ``load_manifest`` (schema, meaning, ``check_module``), every inbound fixture of ``corpus/`` beside the
manifest is verified, deduplicated and parsed as the contract kit does (test secrets of our own sign it), and
compared with its expected result (its first order, and each reservation it carries: ``expected_reservations``);
every field of it must be read or ignored with a reason; its order must add up. Then each field path the
manifest names must exist in some fixture (a misspelt path reads null forever without failing), and the webhook
authentication must accept what it signs and refuse a tampered copy.
Outbound request fixtures need the call that builds each one; they are run by the module's contract test class.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from requests.structures import CaseInsensitiveDict

from integrations.channels.conformance import Comparison, compare_acknowledgement, compare_event, compare_order
from integrations.channels.context import ConnectionInfo
from integrations.channels.corpus import CorpusCase, load_corpus
from integrations.channels.errors import WebhookRejected
from integrations.channels.payloads import account_for, field_paths, reading

from .build import ManifestModule
from .expected_reservations import compare_reservations
from .expressions import expressions, field_chains
from .inbound import signed_message
from .loading import ManifestInvalid, load_manifest, read_document
from .problems import Problem
from .values import search

RECEIVED_AT = datetime(2026, 1, 16, 23, 0, tzinfo=UTC)


@dataclass
class Report:
    path: Path
    problems: list[Problem] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    module: type[ManifestModule] | None = None
    """The module built, when every check passed."""

    @property
    def ok(self) -> bool:
        return not self.problems


def test_connection(module: type[ManifestModule], store_id: str = "test-store") -> ConnectionInfo:
    values = {name: (SecretStr(f"test-{name}") if name in module.credentials.secret_fields() else f"test-{name}")
              for name in module.credentials.model_fields}
    return ConnectionInfo(connection_id=1, store_id=store_id, environment="production", base_url="",
                          credentials=module.credentials(**values))


def authenticated(module: type[ManifestModule], connection: ConnectionInfo, body: bytes, headers: dict[str, str],
                  now: datetime) -> dict[str, str]:
    """The fixture's headers plus what the channel adds to authenticate it, made with the test secret."""
    auth = module.manifest["webhook"]["auth"]
    headers = dict(headers)
    if "token" in auth:
        secret = getattr(connection.credentials, auth["token"]["secrets"][0]).get_secret_value()
        scheme = auth["token"].get("scheme")
        headers[auth["token"]["header"]] = f"{scheme} {secret}" if scheme else secret
        return headers
    recipe = auth["hmac"]
    secret = getattr(connection.credentials, recipe["secrets"][0]).get_secret_value()
    stamped = dict(headers)
    if "header" in (recipe.get("timestamp") or {}):
        headers[recipe["timestamp"]["header"]] = stamped["__timestamp__"] = str(int(now.timestamp()))
    message = signed_message(recipe["signed"], body, CaseInsensitiveDict(stamped))
    digest = hmac.new(secret.encode(), message, getattr(hashlib, recipe["algorithm"])).digest()
    signature = digest.hex() if recipe["encoding"] == "hex" else base64.b64encode(digest).decode()
    headers[recipe["header"]] = recipe.get("prefix", "") + signature
    return headers


def check(path: Path | str) -> Report:
    path = Path(path).resolve()
    report = Report(path)
    try:
        module = load_manifest(path)
    except ManifestInvalid as exc:
        report.problems = exc.problems
        return report
    report.checked.append("schema, meaning and declaration")
    document = read_document(path)
    cases = load_corpus(path.parent / "corpus")
    inbound = [case for case in cases if case.kind == "webhook"]
    connection = test_connection(module, _store_id(inbound))
    for case in inbound:
        report.problems += _case(module, connection, case)
    if inbound:
        report.checked.append(f"{len(inbound)} webhook fixtures: expected results, fields read or ignored, "
                              "orders that add up")
        report.problems += list(_dead_paths(module, inbound, document))
        report.checked.append("every field path the manifest names exists in the corpus")
        report.problems += list(_auth_round_trip(module, connection, inbound[0], document))
        report.checked.append("webhook authentication accepts what it signs, refuses a tampered or unsigned copy")
    else:
        report.problems.append(Problem(None, f"no corpus beside the manifest ({path.parent / 'corpus'})",
                                       "add fixtures in the channel's documented shapes and their expected results"))
    # What the manifest says wrong first, by line; then what the corpus shows it leads to.
    report.problems.sort(key=lambda problem: (problem.line is None, problem.line or 0))
    if report.ok:
        report.module = module
    return report


def _store_id(cases: list[CorpusCase]) -> str:
    for case in cases:
        store = ((case.expected.get("event") or {}).get("channel_store_id")
                 or ((case.expected.get("order") or {}).get("store") or {}).get("channel_store_id"))
        if store:
            return str(store)
    return "test-store"


def received_at(module: type[ManifestModule], case: CorpusCase) -> datetime:
    """When the fixture is received: at its own signed time when the recipe checks a time in the body."""
    stamp = (module.manifest["webhook"]["auth"].get("hmac") or {}).get("timestamp") or {}
    raw = search(stamp["path"], case.payload) if "path" in stamp else None
    if raw is None:
        return RECEIVED_AT
    if stamp.get("format", "unix") == "unix":
        return datetime.fromtimestamp(int(raw), tz=UTC)
    return datetime.fromisoformat(str(raw).replace("Z", "+00:00"))


def _case(module: type[ManifestModule], connection: ConnectionInfo, case: CorpusCase) -> list[Problem]:
    instance = module()
    now = received_at(module, case)
    headers = CaseInsensitiveDict(authenticated(module, connection, case.body, case.headers, now))
    try:
        with reading() as log:
            instance.verify_webhook(connection, case.body, headers, now)
            dedup_key = instance.webhook_dedup_key(connection, case.body, headers)
            events = instance.parse_webhook(connection, case.body, headers)
    except Exception as exc:  # each fixture is reported, none stops the others
        return [Problem(None, f"corpus {case.name}: the manifest could not translate it: {type(exc).__name__}: "
                        f"{exc}", "compare the fixture with the order mapping")]
    problems = []
    comparison = Comparison()
    expected = case.expected
    order = next((event.order for event in events if event.order), None)
    for found in ([compare_event(expected["event"], events, dedup_key, expected.get("cancellation"))]
                  if "event" in expected else []) + ([compare_order(expected["order"], order, events)]
                                                     if "order" in expected else []):
        comparison.mismatches += found.mismatches
    if "reservations" in expected:  # the reservations a push carries beside (or instead of) its first order
        comparison.mismatches += compare_reservations(expected["reservations"], events).mismatches
    if "acknowledge" in expected:
        comparison.mismatches += compare_acknowledgement(expected["acknowledge"], module.acknowledgement).mismatches
    if not comparison.agrees:
        problems.append(Problem(None, comparison.report(case.name), "fix the mapping, or the expected result if "
                                "it misreads the documentation"))
    account = account_for(case.payload, log.paths, module.ignored_fields, module.known_gaps)
    if account.unaccounted:
        problems.append(Problem(None, f"corpus {case.name}: fields neither read nor ignored: "
                                f"{', '.join(account.unaccounted)}", "map each, or list it in ignored_fields "
                                "with the reason"))
    if account.ignored_but_read:
        problems.append(Problem(None, f"corpus {case.name}: declared ignored but read: "
                                f"{', '.join(account.ignored_but_read)}", "remove them from ignored_fields"))
    if order is not None:
        from integrations.channels.testkit import ChannelModuleContract  # imports pytest: only when a case has one

        try:
            ChannelModuleContract.assert_order_is_sound(order, case.name)
        except AssertionError as exc:
            problems.append(Problem(None, f"corpus {case.name}: {exc}", "lines + fees − discount must be the total"))
    return problems


def _known(payloads: list[Any]) -> set[str]:
    known: set[str] = set()
    for payload in payloads:
        for leaf in field_paths(payload):
            parts = leaf.replace("[]", "").split(".")
            known |= {".".join(parts[:end]) for end in range(1, len(parts) + 1)}
    return known


def _dead_paths(module: type[ManifestModule], cases: list[CorpusCase], document: Any) -> Iterator[Problem]:
    webhook = module.manifest["webhook"]
    bodies = [case.payload for case in cases]
    items = []
    for body in bodies:
        found = search(webhook["each"], body) if "each" in webhook else [body]
        items += found if isinstance(found, list) else []
    known = {"body": _known(bodies), "event": _known(items), "order": _known(items)}
    seen: set[tuple[Any, str]] = set()
    for expression in expressions(module.manifest):
        if expression.scope not in known or expression.text.strip() == "@":
            continue
        for chain in field_chains(expression.text, expression.base):
            plain = chain.replace("[]", "")
            if plain not in known[expression.scope] and (expression.where, plain) not in seen:
                seen.add((expression.where, plain))
                close = difflib.get_close_matches(plain, sorted(known[expression.scope]), 1)
                yield Problem(document.line_of(expression.where),
                              f"{expression.text!r} names the field {plain!r}, which no corpus fixture has",
                              f"did you mean {close[0]!r}?" if close else "check the field's name in the docs")


def _auth_round_trip(module: type[ManifestModule], connection: ConnectionInfo, case: CorpusCase, document: Any
                     ) -> Iterator[Problem]:
    instance = module()
    line = document.line_of(("webhook", "auth"))
    now = received_at(module, case)
    signed = CaseInsensitiveDict(authenticated(module, connection, case.body, case.headers, now))
    try:
        instance.verify_webhook(connection, case.body, signed, now)
    except WebhookRejected as exc:
        yield Problem(line, f"webhook.auth refuses a webhook signed as it says: {exc}", "check the recipe")
    unsigned = CaseInsensitiveDict(case.headers)
    try:
        instance.verify_webhook(connection, case.body, unsigned, now)
        yield Problem(line, "webhook.auth accepts a webhook without its signature or token", "check the recipe")
    except WebhookRejected:
        pass
    if "hmac" in module.manifest["webhook"]["auth"]:
        try:
            instance.verify_webhook(connection, case.body + b" ", signed, now)
            yield Problem(line, "webhook.auth accepts a tampered body", "sign {body} in webhook.auth.hmac.signed")
        except WebhookRejected:
            pass
