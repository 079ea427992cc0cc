from .calls import ChannelCall
from .connections import Channel, Connection, Environment
from .refs import ExternalRef
from .sync import RateLimitWindow, SyncAttempt, SyncJob
from .validation import ValidationResult, ValidationRun
from .webhooks import WebhookEvent, WebhookRejection

__all__ = [
    "Channel",
    "ChannelCall",
    "Connection",
    "Environment",
    "ExternalRef",
    "RateLimitWindow",
    "SyncAttempt",
    "SyncJob",
    "ValidationResult",
    "ValidationRun",
    "WebhookEvent",
    "WebhookRejection",
]
