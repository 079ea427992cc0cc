"""The settings the SDK takes as arguments, read once per client the platform builds."""

from __future__ import annotations

from typing import TypedDict

from django.conf import settings

from integrations.http import CallRecorder, Timeout

from .recorder import ChannelCallRecorder


class PlatformHttpOptions(TypedDict):
    """Keyword arguments for ``ChannelHttp``: where calls are recorded, how long to wait, how much body to keep."""

    recorder: CallRecorder
    timeout: Timeout
    body_cap: int


def platform_http_options(connection_id: int | None, sync_attempt_id: int | None = None) -> PlatformHttpOptions:
    """Recorder, timeouts and body cap for a client of ``connection_id``, from the current settings.

    Read when the client is built (not at import), so a changed setting (tests,
    a reconfigured worker) applies to the next client.
    """
    body_cap: int = settings.CHANNEL_CALL_BODY_CAP
    return {
        "recorder": ChannelCallRecorder(connection_id, sync_attempt_id, body_cap=body_cap),
        "timeout": (settings.CHANNEL_CONNECT_TIMEOUT, settings.CHANNEL_READ_TIMEOUT),
        "body_cap": body_cap,
    }
