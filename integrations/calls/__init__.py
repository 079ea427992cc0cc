"""Platform side of the channel SDK: what ``integrations.http`` is given but never imports.

The SDK defines the shapes (``CallRecorder``, ``TokenStore``) and takes its
settings as arguments; this package fills them in with the ORM, Django's
cache, the credentials key ring and ``settings``. ``PlatformTransport``
(``integrations.connections``) passes them to every client it builds.
"""

from __future__ import annotations

from .options import platform_http_options
from .recorder import ChannelCallRecorder
from .token_cache import DjangoCacheTokenStore

__all__ = ["ChannelCallRecorder", "DjangoCacheTokenStore", "platform_http_options"]
