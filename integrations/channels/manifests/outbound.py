"""Outbound operations as a manifest says them: one ``ChannelClient`` whose methods render requests.

Each operation names its ``method``, ``url`` (a template under ``api.path_prefix``), an optional JSON ``body``
template, ``requires`` (arguments that must be there, each with the refusal's reason) and ``response`` (which
field of the answer means what). A template's ``{name}`` is a dotted name of the call's arguments: ``store_id``,
``order.channel_order_id``, ``status_code`` (our status in the channel's words), ``update.status``,
``pause.until`` (ISO-8601 UTC), ``transaction_id``, ``document_url``; a string that is only ``{name}`` keeps
the value's JSON type. ``set_order_status`` may instead say ``by_status``: a request per canonical status (Wolt's
accept / reject / ready calls). ``hook: module:function`` hands the whole operation to Python
(``function(client, *args)``).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from pydantic import BaseModel

from canonical import (
    CanonicalCatalog,
    CanonicalOrder,
    ChannelStatus,
    DriverPosition,
    ItemUpdate,
    OrderRef,
    PauseRequest,
    PublishResult,
    PublishState,
    ServiceType,
    StatusUpdate,
)
from integrations.channels.base import ChannelClient
from integrations.channels.payloads import tracked
from integrations.http import (
    ApiKeyHeader,
    AuthStrategy,
    ChannelHttp,
    OAuth2ClientCredentials,
    PermanentChannelError,
    StaticToken,
)

from .hooks import load_hook
from .values import PLACEHOLDER, Scope, evaluate

OPERATIONS = ("get_order", "get_order_status", "publish_catalog", "get_publish_result", "update_catalog_items",
              "set_order_status", "update_delivery_location", "pause", "resume")
"""What a manifest can declare (weekly hours and exceptions are a document each channel shapes its own way: a
manifest channel declares post_availability without them, or takes them through a hook-backed module)."""


def plain(value: Any) -> Any:
    """Call arguments as template values: models as dicts, instants as ISO-8601 UTC with Z, enums as codes."""
    if isinstance(value, BaseModel):
        return {name: plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def lookup(context: Mapping[str, Any], name: str) -> Any:
    value: Any = context
    for part in name.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def fill(template: Any, context: Mapping[str, Any]) -> Any:
    """A URL or body template with the call's values in it; a hole is a refusal, never a wrong request."""
    if isinstance(template, dict):
        return {key: fill(value, context) for key, value in template.items()}
    if isinstance(template, list):
        return [fill(value, context) for value in template]
    if not isinstance(template, str):
        return template
    whole = PLACEHOLDER.fullmatch(template)
    if whole:
        value = lookup(context, whole.group(1))
        if value is None:
            raise PermanentChannelError(f"the request needs {whole.group(1)}", operation="manifest")
        return value

    def replace(match: Any) -> str:
        value = lookup(context, match.group(1))
        if value is None or value == "":
            raise PermanentChannelError(f"the request needs {match.group(1)}", operation="manifest")
        return str(value)

    return PLACEHOLDER.sub(replace, template)


class ManifestClient(ChannelClient):
    """The outbound side of every manifest module; ``build.py`` keeps only the declared operations on a subclass."""

    manifest: Mapping[str, Any] = {}
    _http: ChannelHttp | None = None

    # --- plumbing --------------------------------------------------------------------------------------------

    @property
    def http(self) -> ChannelHttp:
        if self._http is None:
            api = self.manifest["api"]
            base = self.module.base_url(self.connection).rstrip("/")
            prefix = fill(api.get("path_prefix", ""), self.context())
            self._http = self.transport.http(f"{base}{prefix}", auth=self._auth(api.get("auth") or {}, base),
                                             default_headers=api.get("headers"))
        return self._http

    def _secret(self, name: str) -> str:
        value = getattr(self.connection.credentials, name)
        return value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)

    def _auth(self, auth: Mapping[str, Any], base: str) -> AuthStrategy | None:
        if "static_token" in auth:
            spec = auth["static_token"]
            return StaticToken(self._secret(spec["credential"]), header=spec.get("header", "Authorization"),
                               scheme=spec.get("scheme"))
        if "bearer" in auth:
            return StaticToken(self._secret(auth["bearer"]["credential"]), scheme="Bearer")
        if "api_key_header" in auth:
            spec = auth["api_key_header"]
            return ApiKeyHeader(spec["header"], self._secret(spec["credential"]))
        if "basic" in auth:
            spec = auth["basic"]
            pair = f"{self._secret(spec['username'])}:{self._secret(spec['password'])}"
            return StaticToken(base64.b64encode(pair.encode()).decode(), scheme="Basic")
        if "oauth2_client_credentials" in auth:
            spec = auth["oauth2_client_credentials"]
            token_url = spec["token_url"] if spec["token_url"].startswith("http") else base + spec["token_url"]
            return OAuth2ClientCredentials(
                token_url, self._secret(spec["client_id"]), self._secret(spec["client_secret"]), spec.get("scope"),
                token_store=self.transport.token_store, client_auth=spec.get("client_auth", "body"),
                extra_params=spec.get("extra_params"))
        return None

    def context(self, **arguments: Any) -> dict[str, Any]:
        return {"store_id": self.connection.store_id, "connection": dict(self.connection.extra),
                **{name: plain(value) for name, value in arguments.items()}}

    def call(self, name: str, **arguments: Any) -> Any:
        """Run operation ``name`` with ``arguments``: the request it renders, and its answer as data."""
        spec = self.manifest["operations"][name]
        if "by_status" in spec:
            status = plain(arguments["update"].status)
            if status not in spec["by_status"]:
                raise PermanentChannelError(f"the channel takes no {status} for an order", operation=name)
            spec = spec["by_status"][status]
        context = self.context(**arguments)
        for needed, reason in (spec.get("requires") or {}).items():
            if lookup(context, needed) in (None, ""):
                raise PermanentChannelError(reason, operation=name)
        if "document" in spec:
            context["document_url"] = self._host(spec["document"], context, arguments)
        url = fill(spec["url"], context)
        body = fill(spec["body"], context) if "body" in spec else None
        response = self.http.request(spec["method"], url, operation=spec.get("operation", name), json=body)
        text = response.text
        return tracked(json.loads(text)) if text.strip() else None

    def _host(self, document: Mapping[str, Any], context: Mapping[str, Any], arguments: Mapping[str, Any]) -> str:
        content = load_hook(document["hook"])(*arguments.values())
        token_name = document.get("bearer_credential")
        token = getattr(self.connection.credentials, token_name, None) if token_name else None
        return self.transport.host_document(
            fill(document["name"], context), json.dumps(content, ensure_ascii=False).encode(), "application/json",
            ttl=timedelta(hours=document.get("ttl_hours", 24)),
            bearer_token=token.get_secret_value() if token is not None else None,
        )

    def read(self, name: str, key: str, data: Any, label: str) -> Any:
        spec = (self.manifest["operations"][name].get("response") or {}).get(key)
        if spec is None:
            return None
        scope = Scope(data, data, self.connection.timezone, vocabularies=self.manifest.get("vocabularies", {}))
        return evaluate(spec, scope, label)

    def _hook(self, name: str) -> Any:
        spec = self.manifest["operations"][name]
        return load_hook(spec["hook"]) if "hook" in spec else None



class Operations(ManifestClient):
    """Every operation a manifest can declare; ``client_class`` copies only the declared ones, so the platform
    and ``check_module`` see exactly what the manifest supports (the rest keep ``FeatureNotSupported``)."""

    def get_order(self, channel_order_id: str) -> CanonicalOrder:
        if hook := self._hook("get_order"):
            return hook(self, channel_order_id)
        data = self.call("get_order", channel_order_id=channel_order_id)
        root = self.read("get_order", "order", data, "get_order") if "response" in self.manifest["operations"][
            "get_order"] else data
        return self.module.read_order(root, self.connection.timezone)

    def get_order_status(self, order: OrderRef) -> ChannelStatus:
        if hook := self._hook("get_order_status"):
            return hook(self, order)
        data = self.call("get_order_status", order=order, channel_order_id=order.channel_order_id)
        code = str(self.read("get_order_status", "status", data, "status") or "")
        return ChannelStatus(channel_order_id=order.channel_order_id, channel_status=code,
                             status=self.module.to_canonical_status(code, order.service_type))

    def set_order_status(self, order: OrderRef, update: StatusUpdate) -> None:
        if hook := self._hook("set_order_status"):
            return hook(self, order, update)
        spec = self.manifest["operations"]["set_order_status"]
        outbound = self.module.status_map(order.service_type).all_outbound()
        # With a request per status, the status may have no code of its own (the URL says it).
        code = (self.module.to_channel_status(update.status, order.service_type)
                if "by_status" not in spec or update.status in outbound else None)
        self.call("set_order_status", order=order, update=update, status_code=code)
        return None

    def publish_catalog(self, catalog: CanonicalCatalog) -> PublishResult:
        if hook := self._hook("publish_catalog"):
            return hook(self, catalog)
        data = self.call("publish_catalog", catalog=catalog)
        return self._publish_result("publish_catalog", data, "")

    def get_publish_result(self, transaction_id: str) -> PublishResult:
        if hook := self._hook("get_publish_result"):
            return hook(self, transaction_id)
        data = self.call("get_publish_result", transaction_id=transaction_id)
        return self._publish_result("get_publish_result", data, transaction_id)

    def _publish_result(self, name: str, data: Any, transaction_id: str) -> PublishResult:
        state = PublishState(self.read(name, "state", data, "state") or PublishState.DONE)
        transaction_id = str(self.read(name, "transaction_id", data, "transaction_id") or transaction_id)
        errors = tuple(str(error) for error in self.read(name, "errors", data, "errors") or ())
        if state == PublishState.FAILED and not errors:
            failure = self.read(name, "failure", data, "failure")
            errors = (str(failure),) if failure else ()
        return PublishResult(state=state, transaction_id=transaction_id, errors=errors)

    def update_catalog_items(self, updates: list[ItemUpdate]) -> PublishResult:
        if hook := self._hook("update_catalog_items"):
            return hook(self, updates)
        for update in updates:
            self.call("update_catalog_items", update=update)
        return PublishResult(state=PublishState.DONE)

    def update_delivery_location(self, order: OrderRef, position: DriverPosition) -> None:
        if hook := self._hook("update_delivery_location"):
            return hook(self, order, position)
        self.call("update_delivery_location", order=order, position=position)
        return None

    def pause(self, pause: PauseRequest) -> None:
        if hook := self._hook("pause"):
            return hook(self, pause)
        self.call("pause", pause=pause)
        return None

    def resume(self, service_type: ServiceType | None = None) -> None:
        if hook := self._hook("resume"):
            return hook(self, service_type)
        self.call("resume", service_type=service_type)
        return None


def client_class(name: str, manifest: Mapping[str, Any]) -> type[ManifestClient]:
    """A ``ManifestClient`` subclass with the manifest's operations, and only those."""
    declared = manifest.get("operations") or {}
    methods = {operation: Operations.__dict__[operation] for operation in declared}
    return type(name, (ManifestClient,), {"_publish_result": Operations._publish_result, **methods,
                                         "manifest": manifest, "__module__": __name__})
