from .calls import ChannelCall
from .connections import Channel, Connection, Environment
from .documents import HostedDocument
from .refs import ExternalRef
from .sync import RateLimitWindow, SyncAttempt, SyncJob
from .tokens import ChannelToken
from .validation import ValidationResult, ValidationRun
from .webhooks import WebhookEvent, WebhookRejection

__all__ = [
    "Channel",
    "ChannelCall",
    "ChannelToken",
    "Connection",
    "Environment",
    "ExternalRef",
    "HostedDocument",
    "RateLimitWindow",
    "SyncAttempt",
    "SyncJob",
    "ValidationResult",
    "ValidationRun",
    "WebhookEvent",
    "WebhookRejection",
]
