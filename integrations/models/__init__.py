from .calls import ChannelCall
from .connections import Channel, Connection, Environment
from .refs import ExternalRef

__all__ = ["Channel", "ChannelCall", "Connection", "Environment", "ExternalRef"]
