"""The contract kit's corpus battery: every fixture of the module's corpus, run and compared.

Mixed into ``ChannelModuleContract``. For each fixture in ``integrations/channels/<slug>/corpus/``:

* inbound (``webhook``: verify + dedup key + parse; ``get_order``: the module's client against the recorded
  response, after parsing the ``trigger`` webhook when there is one, fetched for that webhook's event with
  ``get_announced_order`` as the platform does):
  - ``test_corpus_matches_the_expected_result``: the canonical result against ``<name>.expected.json``,
    field by field (``conformance``); the GET the client built against the fixture's ``request``; the
    module's ``acknowledgement`` against the documented reply (``acknowledge``);
  - ``test_corpus_fields_are_read_or_ignored``: every field of the payload was read by the translation,
    declared in ``ignored_fields`` (with a reason) or listed in ``known_gaps``;
  - ``test_corpus_orders_are_sound``: ``assert_order_is_sound`` on the order;
* outbound (``request``): ``test_corpus_requests_are_built_as_documented``: the call named for the fixture in
  ``outbound_calls()`` builds the documented request (method, URL, documented headers, JSON body).

A defect of today's module that makes a case fail is declared in ``corpus_defects`` as
``{(check, fixture): "the defect"}`` (check: ``expected``, ``fields``, ``sound`` or ``request``); the case is
then ``xfail(strict=True)``: it must keep failing until the fix, which must remove the entry.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

import pytest
from requests.structures import CaseInsensitiveDict

from canonical import CanonicalOrder, InboundEvent

from .base import ChannelClient, ChannelModule
from .checks import required_methods
from .conformance import Comparison, compare_acknowledgement, compare_event, compare_order, compare_request
from .context import ConnectionInfo
from .corpus import CorpusCase, corpus_directory, load_corpus
from .payloads import account_for, covers, field_paths, reading
from .recording import CannedResponse, RecordedRequest, RecordingTransport

CHECKS = ("expected", "fields", "sound", "request")

OutboundCall = Callable[[ChannelClient], object]


@dataclass
class Translation:
    """What the module made of one inbound fixture."""

    events: list[InboundEvent] = field(default_factory=list)
    order: CanonicalOrder | None = None
    dedup_key: str = ""
    read: set[str] = field(default_factory=set)
    requests: list[RecordedRequest] = field(default_factory=list)
    trigger_events: list[InboundEvent] = field(default_factory=list)
    error: Exception | None = None


class _Touched:
    """A client stand-in that notes which of the client's operations a call uses, then runs them."""

    def __init__(self, client: ChannelClient) -> None:
        self._client = client
        self.names: set[str] = set()

    def __getattr__(self, name: str) -> object:
        self.names.add(name)
        return getattr(self._client, name)


class CorpusContract:
    """See the module docstring. Hooks a module's contract test may override are below."""

    module_class: ClassVar[type[ChannelModule]]
    corpus_defects: ClassVar[Mapping[tuple[str, str], str]] = {}
    """``{(check, fixture name): "the defect that makes it fail"}``: strict xfails, removed by the fix."""

    # --- hooks ---------------------------------------------------------------------

    def corpus_connection(self) -> ConnectionInfo:
        """The connection the corpus was written for (its store id, the test secret that signs its webhooks).

        Use environment ``production`` and no base URL, so requests go to the documented host.
        """
        raise NotImplementedError

    def corpus_headers(self, case: CorpusCase) -> dict[str, str]:
        """A webhook fixture's headers as the module receives them (add what the docs leave to the setup)."""
        return case.headers

    def corpus_now(self, case: CorpusCase) -> datetime:
        """The instant a webhook fixture is received at."""
        raise NotImplementedError

    def outbound_calls(self) -> Mapping[str, OutboundCall]:
        """For each ``request_*`` fixture, the client call that should build it."""
        return {}

    outbound_without_example: ClassVar[Mapping[str, str]] = {}
    """Client operations the module supports that have no documented request example yet, each with the reason
    (``{"publish_catalog": "the upload reference page is not in the stored copies"}``): shown, not silent."""

    def outbound_response(self, case: CorpusCase) -> CannedResponse:
        """What the channel answers to the request (default: the fixture's documented success response)."""
        success = case.expected.get("success_response") or {}
        body = success.get("body")
        if isinstance(body, str) and body:
            return CannedResponse(success.get("status") or 200, body.encode())
        return CannedResponse(success.get("status") or 204, b"")

    # --- parametrizing -------------------------------------------------------------

    @classmethod
    def corpus(cls) -> list[CorpusCase]:
        return load_corpus(corpus_directory(cls.module_class))

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        wanted = {"corpus_inbound": ("webhook", "get_order"), "corpus_request": ("request",),
                  "corpus_order": ("webhook", "get_order")}
        for argument, kinds in wanted.items():
            if argument not in metafunc.fixturenames:
                continue
            check = {"corpus_inbound": "expected", "corpus_order": "sound", "corpus_request": "request"}[argument]
            if metafunc.function.__name__ == "test_corpus_fields_are_read_or_ignored":
                check = "fields"
            cases = [case for case in self.corpus() if case.kind in kinds]
            if argument == "corpus_order":
                cases = [case for case in cases if "order" in case.expected]
            params = []
            for case in cases:
                defect = self.corpus_defects.get((check, case.name))
                marks = [pytest.mark.xfail(strict=True, reason=defect)] if defect else []
                params.append(pytest.param(case, id=case.name, marks=marks))
            metafunc.parametrize(argument, params)

    # --- running a fixture -------------------------------------------------------------

    def translate(self, case: CorpusCase) -> Translation:
        module = self.module_class()
        connection = self.corpus_connection()
        result = Translation()
        try:
            trigger = case.fixture.get("trigger")
            if trigger:
                result.trigger_events = self._parse_trigger(module, connection, trigger["raw_body"].encode(),
                                                    dict(trigger.get("headers") or {}), case)
            with reading() as log:
                try:
                    if case.kind == "webhook":
                        headers = CaseInsensitiveDict(self.corpus_headers(case))
                        module.verify_webhook(connection, case.body, headers, self.corpus_now(case))
                        result.dedup_key = module.webhook_dedup_key(connection, case.body, headers)
                        result.events = module.parse_webhook(connection, case.body, headers)
                        result.order = next((event.order for event in result.events if event.order), None)
                    else:
                        transport = RecordingTransport(respond=lambda request: CannedResponse(200, case.payload))
                        channel_order_id = case.request_path.rstrip("/").rsplit("/", 1)[-1]
                        client = module.client(connection, transport)
                        # Fetched as the platform fetches it: for the event that announced it, when there is one.
                        announced = next((event for event in result.trigger_events
                                          if event.channel_order_id == channel_order_id), None)
                        result.order = (client.get_announced_order(announced) if announced is not None
                                        else client.get_order(channel_order_id))
                        result.requests = transport.channel_requests()
                finally:
                    result.read = set(log.paths)
        except Exception as exc:  # reported by each check with the fixture's name
            result.error = exc
        return result

    def _parse_trigger(self, module: ChannelModule, connection: ConnectionInfo, body: bytes, headers: dict[str, str],
               case: CorpusCase) -> list[InboundEvent]:
        insensitive = CaseInsensitiveDict(self.corpus_headers(CorpusCase(case.name, {"headers": headers}, {})))
        module.verify_webhook(connection, body, insensitive, self.corpus_now(case))
        return module.parse_webhook(connection, body, insensitive)

    @staticmethod
    def _fail_on_error(case: CorpusCase, result: Translation) -> None:
        if result.error is not None:
            pytest.fail(f"{case.name}: the module could not translate the fixture: "
                        f"{type(result.error).__name__}: {result.error}")

    # --- the checks --------------------------------------------------------------------------

    def test_corpus_matches_the_expected_result(self, corpus_inbound: CorpusCase) -> None:
        case = corpus_inbound
        result = self.translate(case)
        self._fail_on_error(case, result)
        expected = case.expected
        comparison = Comparison()
        if "event" in expected:
            found = compare_event(expected["event"], result.events, result.dedup_key, expected.get("cancellation"))
            comparison.mismatches += found.mismatches
            comparison.pending += found.pending
        if "order" in expected:
            found = compare_order(expected["order"], result.order, [*result.events, *result.trigger_events])
            comparison.mismatches += found.mismatches
            comparison.pending += found.pending
        if "acknowledge" in expected:  # the documented reply to the webhook
            found = compare_acknowledgement(expected["acknowledge"], getattr(self.module_class, "acknowledgement",
                                                                             None))
            comparison.mismatches += found.mismatches
        if case.kind == "get_order":
            documented = case.request
            built = [(request.method, request.url) for request in result.requests]
            if (documented.get("method"), documented.get("url")) not in built:
                comparison.mismatches.append(f"request: expected {documented.get('method')} "
                                             f"{documented.get('url')}, the client sent {built}")
        assert comparison.agrees, comparison.report(case.name)

    def test_corpus_fields_are_read_or_ignored(self, corpus_inbound: CorpusCase) -> None:
        case = corpus_inbound
        result = self.translate(case)
        self._fail_on_error(case, result)
        module = self.module_class
        account = account_for(case.payload, result.read, module.ignored_fields, module.known_gaps)
        problems = []
        if account.unaccounted:
            problems.append("fields neither read nor declared ignored (read them, or add each to ignored_fields "
                            "with the reason):\n    " + "\n    ".join(account.unaccounted))
        if account.ignored_but_read:
            problems.append("fields declared ignored that the module reads (remove them from ignored_fields):\n    "
                            + "\n    ".join(account.ignored_but_read))
        assert not problems, f"{case.name}: " + "\n".join(problems)

    def test_corpus_orders_are_sound(self, corpus_order: CorpusCase) -> None:
        case = corpus_order
        result = self.translate(case)
        self._fail_on_error(case, result)
        assert result.order is not None, f"{case.name}: the expected result has an order, the module made none"
        self.assert_order_is_sound(result.order, case.name)

    def test_corpus_requests_are_built_as_documented(self, corpus_request: CorpusCase) -> None:
        case = corpus_request
        call = self.outbound_calls().get(case.name)
        assert call is not None, f"{case.name}: name the client call that builds it in outbound_calls()"
        transport = RecordingTransport(respond=lambda request: self.outbound_response(case))
        client = self.module_class().client(self.corpus_connection(), transport)
        try:
            call(client)
        except Exception as exc:
            pytest.fail(f"{case.name}: the client could not build the request: {type(exc).__name__}: {exc}")
        sent = transport.channel_requests()
        assert sent, f"{case.name}: the client sent no request"
        request = sent[-1]
        documented = case.request
        comparison = compare_request(documented.get("method", ""), documented.get("url", ""),
                                     dict(documented.get("headers") or {}), case.payload,
                                     request.method, request.url, request.headers, request.json())
        assert comparison.agrees, comparison.report(case.name)

    def test_known_gaps_are_still_gaps(self) -> None:
        module = self.module_class
        if not self.corpus():
            pytest.skip("the module ships no corpus (integrations/channels/<slug>/corpus/)")
        present: set[str] = set()
        unread: set[str] = set()
        for case in self.corpus():
            if case.kind == "request":
                continue
            result = self.translate(case)
            account = account_for(case.payload, result.read, module.ignored_fields, module.known_gaps)
            for pattern in module.known_gaps:
                if any(covers(pattern, path) for path in field_paths(case.payload)):
                    present.add(pattern)
                if any(covers(pattern, path) for path in account.known_gaps):
                    unread.add(pattern)
        fixed = sorted(present - unread)
        assert not fixed, ("known gaps the module now reads in every fixture that has them (remove them from "
                           "known_gaps): " + ", ".join(fixed))

    def test_every_supported_operation_has_a_documented_request_or_says_why_not(self) -> None:
        if not self.corpus():
            pytest.skip("the module ships no corpus (integrations/channels/<slug>/corpus/)")
        supported = {method for methods in required_methods(self.module_class.features).values()
                     for owner, method in methods if owner == "client"}
        covered = set()
        if any(case.kind == "get_order" for case in self.corpus()):
            covered |= {"get_order", "get_order_status"}  # the same documented GET of the order
        client = self.module_class().client(self.corpus_connection(), RecordingTransport())
        for case in self.corpus():
            call = self.outbound_calls().get(case.name)
            if case.kind == "request" and call is not None:
                touched = _Touched(client)
                with contextlib.suppress(Exception):  # building the request is checked by its own test
                    call(touched)  # type: ignore[arg-type]
                covered |= touched.names
        declared = set(self.outbound_without_example)
        missing = sorted(supported - covered - declared)
        stale = sorted(declared & covered)
        problems = []
        if missing:
            problems.append("supported operations without a documented request example (add a request_* fixture "
                            "and its outbound call, or say why in outbound_without_example): " + ", ".join(missing))
        if stale:
            problems.append("outbound_without_example names operations that have an example now (remove them): "
                            + ", ".join(stale))
        assert not problems, "\n".join(problems)

    def test_corpus_defects_name_real_cases(self) -> None:
        names = {case.name for case in self.corpus()}
        if not names:
            pytest.skip("the module ships no corpus (integrations/channels/<slug>/corpus/)")
        stale = [f"{check}/{name}" for check, name in self.corpus_defects
                 if name not in names or check not in CHECKS]
        assert not stale, f"corpus_defects names no such fixture or check: {stale}"
        unused = [name for name in self.outbound_calls() if name not in names]
        assert not unused, f"outbound_calls names no such fixture: {unused}"

    @staticmethod
    def assert_order_is_sound(order: CanonicalOrder, label: str) -> None:  # defined by ChannelModuleContract
        raise NotImplementedError
