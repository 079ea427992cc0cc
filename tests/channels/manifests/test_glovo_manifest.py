"""Glovo re-expressed as a manifest: Glovo's whole contract kit and corpus, with the same expected results.

The test class is Glovo's own (``tests/channels/glovo/test_contract.py``) with the module built from
``integrations/channels/glovo/manifest.yaml`` instead of ``module.py``: the same samples, forged and malformed
webhooks, corpus fixtures, outbound requests and declared defects (none). The registry keeps ``module.py`` for
the slug, so the manifest is loaded here explicitly and never shows as a second "Glovo" in admin.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from canonical import InboundEventKind
from integrations.channels import registry
from integrations.channels.context import ConnectionInfo
from integrations.channels.features import Feature
from integrations.channels.glovo.module import Module as GlovoModule
from integrations.channels.manifests import load_manifest
from tests.channels.glovo import samples as s
from tests.channels.glovo.test_contract import CORPUS_STORE, TestGlovoContract

MANIFEST = Path(__file__).resolve().parents[3] / "integrations" / "channels" / "glovo" / "manifest.yaml"
GlovoFromManifest = load_manifest(MANIFEST)


class TestGlovoManifestContract(TestGlovoContract):
    module_class = GlovoFromManifest

    def _credentials(self):
        return GlovoFromManifest.credentials(api_token=SecretStr(s.API_TOKEN), webhook_token=SecretStr(s.WEBHOOK_TOKEN))

    def connection(self) -> ConnectionInfo:
        return ConnectionInfo(connection_id=2, store_id=s.STORE_ID, environment="sandbox",
                              base_url="http://127.0.0.1:9", credentials=self._credentials())

    def corpus_connection(self) -> ConnectionInfo:
        return ConnectionInfo(connection_id=2, store_id=CORPUS_STORE, environment="production", base_url="",
                              credentials=self._credentials())


def test_the_manifest_declares_what_the_python_module_declares():
    for feature in Feature:
        assert GlovoFromManifest.features[feature] == GlovoModule.features[feature], feature
    assert GlovoFromManifest.order_statuses == GlovoModule.order_statuses
    assert GlovoFromManifest.default_base_urls == GlovoModule.default_base_urls
    assert GlovoFromManifest.ignored_fields == GlovoModule.ignored_fields
    assert GlovoFromManifest.webhook_signs_body is GlovoModule.webhook_signs_body is False
    assert list(GlovoFromManifest.credentials.model_fields) == list(GlovoModule.credentials.model_fields)
    assert GlovoFromManifest.credentials.secret_fields() == GlovoModule.credentials.secret_fields()


def test_both_translate_every_sample_to_the_same_events():
    manifest, python = GlovoFromManifest(), GlovoModule()
    contract = TestGlovoManifestContract()
    bodies = [sample.body for sample in contract.webhook_samples()]
    for body in bodies:
        ours = manifest.parse_webhook(contract.connection(), body, s.headers())
        theirs = python.parse_webhook(contract.connection(), body, s.headers())
        assert [event.kind for event in ours] == [event.kind for event in theirs]
        for mine, reference in zip(ours, theirs, strict=True):
            if mine.kind == InboundEventKind.NEW_ORDER and mine.order.placed_at != reference.order.placed_at:
                continue  # an order without order_time is dated when it is read
            assert mine == reference


def test_the_registry_keeps_the_python_module_for_the_slug():
    assert registry.get_module_class("glovo") is GlovoModule


def test_the_manifest_passes_channel_manifest_check_with_glovos_corpus():
    from integrations.channels.manifests.kit import check

    report = check(MANIFEST)

    assert report.ok, "\n".join(problem.describe() for problem in report.problems)
    assert any("9 webhook fixtures" in done for done in report.checked)


def _both(call, respond=None):
    """The requests and the result of ``call`` with each module's client (the same connection and answers)."""
    from integrations.channels.recording import CannedResponse, RecordingTransport

    found = []
    for module in (GlovoFromManifest, GlovoModule):
        transport = RecordingTransport(respond=respond or (lambda request: CannedResponse(204, b"")))
        contract = TestGlovoManifestContract()
        connection = contract.corpus_connection()
        if module is GlovoModule:
            connection = TestGlovoContract().corpus_connection()
        try:
            result = call(module().client(connection, transport))
        except Exception as exc:  # the refusal is part of the behaviour compared
            result = (type(exc).__name__, str(exc))
        found.append(([(r.method, r.url, r.json()) for r in transport.channel_requests()], result))
    return found


def test_the_operations_without_a_corpus_example_behave_as_the_python_modules():
    from decimal import Decimal

    from canonical import ItemKind, ItemUpdate
    from integrations.channels.recording import CannedResponse

    updates = [ItemUpdate(kind=ItemKind.PRODUCT, sku="pizza", price=Decimal("12.5"), available=False),
               ItemUpdate(kind=ItemKind.OPTION, sku="cheese", price=Decimal("1.2"))]
    variant = [ItemUpdate(kind=ItemKind.VARIANT, sku="large", price=Decimal("2"))]
    answers = [{"status": "SUCCESS"}, {"status": "PROCESSING"}, {"status": "LIMIT_EXCEEDED"},
               {"status": "NOT_PROCESSED", "details": ["Product X has no name", {"message": "bad"}]},
               {"status": "SOMETHING_ELSE"}]

    manifest, python = _both(lambda client: client.update_catalog_items(updates))
    assert manifest == python
    assert [(method, url.rsplit("/", 2)[-2:]) for method, url, _ in manifest[0]] == [
        ("PATCH", ["products", "pizza"]), ("PATCH", ["attributes", "cheese"])]
    manifest, python = _both(lambda client: client.update_catalog_items(variant))
    assert manifest == python and manifest[1][0] == "PermanentChannelError" and not manifest[0]
    manifest, python = _both(lambda client: client.resume())
    assert manifest == python and manifest[0][0][0] == "DELETE"
    for body in answers:
        manifest, python = _both(lambda client: client.get_publish_result("tx-1"),
                                 lambda request, body=body: CannedResponse(200, body))
        assert manifest == python, body
