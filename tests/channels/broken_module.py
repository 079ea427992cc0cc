"""A deliberately inconsistent module: declares post_status without implementing it."""

from pydantic import SecretStr

from canonical import OrderStatus
from integrations.channels.base import ChannelModule
from integrations.channels.credentials import ChannelCredentials
from integrations.channels.features import Features, NotSupported, PostStatusOptions, Supported
from integrations.channels.statuses import StatusMap


class TokenCredentials(ChannelCredentials):
    token: SecretStr


class BrokenModule(ChannelModule):
    slug = "broken"
    name = "Broken Channel"
    credentials = TokenCredentials
    order_statuses = StatusMap(inbound={"NEW": OrderStatus.RECEIVED}, outbound={OrderStatus.ACCEPTED: "OK"})
    features = Features(
        get_order=NotSupported("no order endpoint"),
        get_status=NotSupported("no status endpoint"),
        publish_catalog=NotSupported("menus are managed by hand"),
        post_status=Supported(PostStatusOptions(statuses=frozenset({OrderStatus.ACCEPTED}))),
        post_delivery_location=NotSupported("platform couriers only"),
        post_availability=NotSupported("no hours API"),
        webhook_new_order=NotSupported("polling only"),
        webhook_status_changed=NotSupported("polling only"),
    )
