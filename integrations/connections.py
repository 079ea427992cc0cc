"""Platform side of the contract: turn a ``Connection`` row into what a module sees, and into a client."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import timedelta

from pydantic import ValidationError

from . import hosting
from .calls import DjangoCacheTokenStore, platform_http_options
from .channels.base import ChannelClient, ChannelModule
from .channels.context import ConnectionInfo, ErrorParser
from .channels.credentials import ChannelCredentials, credential_errors
from .channels.registry import get_module
from .http import AuthStrategy, ChannelHttp, session_for
from .models import Connection


class InvalidCredentials(ValueError):
    """Stored credentials do not match the module's schema (staff must fix them in admin)."""

    def __init__(self, connection: Connection, errors: dict[str, str]) -> None:
        fields = ", ".join(f"{name}: {message}" for name, message in errors.items())
        super().__init__(f"credentials of connection {connection.pk} are invalid ({fields})")
        self.errors = errors


def module_for(connection: Connection) -> ChannelModule:
    return get_module(connection.channel.module)


def validated_credentials(connection: Connection) -> ChannelCredentials:
    schema = module_for(connection).credentials_schema(connection.environment)
    try:
        return schema.model_validate(dict(connection.credentials))
    except ValidationError as exc:
        raise InvalidCredentials(connection, credential_errors(exc)) from None


def connection_info(connection: Connection) -> ConnectionInfo:
    restaurant = connection.restaurant
    return ConnectionInfo(
        connection_id=connection.pk,
        store_id=connection.store_id,
        environment=connection.environment,
        base_url=connection.base_url,
        credentials=validated_credentials(connection),
        timezone=restaurant.timezone,
        currency=restaurant.currency,
    )


class PlatformTransport:
    """HTTP for modules: every call recorded against the connection, pooled sessions, shared token cache."""

    def __init__(
        self, connection_id: int | None, correlation_id: str | None = None, sync_attempt_id: int | None = None
    ) -> None:
        self.connection_id = connection_id
        self.correlation_id = correlation_id or uuid.uuid4().hex
        self.sync_attempt_id = sync_attempt_id  # outbound: calls are linked to the attempt that made them
        self.token_store = DjangoCacheTokenStore()

    def http(
        self,
        base_url: str,
        *,
        auth: AuthStrategy | None = None,
        error_parser: ErrorParser | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> ChannelHttp:
        return ChannelHttp(
            base_url,
            auth=auth,
            correlation_id=self.correlation_id,
            error_parser=error_parser,
            session=session_for(f"connection:{self.connection_id}"),
            default_headers=default_headers,
            **platform_http_options(self.connection_id, self.sync_attempt_id),
        )

    def host_document(
        self, name: str, content: bytes, content_type: str, *, ttl: timedelta, bearer_token: str | None = None
    ) -> str:
        """Served at ``{SINQRO_PUBLIC_URL}/channel-files/<token>`` until ``ttl`` is over (integrations/hosting.py)."""
        return hosting.host_document(self.connection_id, name, content, content_type, ttl=ttl,
                                     bearer_token=bearer_token)


def client_for(
    connection: Connection, correlation_id: str | None = None, sync_attempt_id: int | None = None
) -> ChannelClient:
    """The module's client for this connection, with the platform's transport."""
    module = module_for(connection)
    transport = PlatformTransport(connection.pk, correlation_id, sync_attempt_id)
    return module.client(connection_info(connection), transport)
