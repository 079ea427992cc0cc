from .calls import ChannelCall
from .connections import Channel, Connection, Environment
from .refs import ExternalRef
from .sync import SyncAttempt, SyncJob
from .webhooks import WebhookEvent, WebhookRejection

__all__ = [
    "Channel",
    "ChannelCall",
    "Connection",
    "Environment",
    "ExternalRef",
    "SyncAttempt",
    "SyncJob",
    "WebhookEvent",
    "WebhookRejection",
]
