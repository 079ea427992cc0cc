"""Fetching an order again from its channel (staff, from the order's ticket).

For when the ticket and the channel disagree: the channel's order is read with a GET (recorded
like every call, under the order's correlation id, so it shows on the ticket) and taken through
the channel door like a webhook's snapshot would be: the raw order, estimates, codes and a
cancellation are refreshed, a status further along is applied, an older one changes nothing.
No transaction is held open across the call.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from canonical.text import storable_copy
from integrations.channels.features import Feature
from integrations.channels.registry import UnknownChannelModule
from integrations.connections import InvalidCredentials, client_for, module_for
from integrations.http import ChannelError
from integrations.models import Connection
from orders.channel_door import ChannelLink, take_order
from orders.models import Order


class CannotFetch(Exception):
    """The order was not fetched; the message says why (nothing was changed)."""


@dataclass(frozen=True)
class Fetched:
    """What the fetch did: the status before and after, and the channel's status code."""

    before: str
    after: str
    channel_status: str

    @property
    def moved(self) -> bool:
        return self.before != self.after


def fetch_order_again(order: Order) -> Fetched:
    """GET ``order`` from its channel and take what it says; ``CannotFetch`` when the channel cannot say."""
    if order.connection_id is None or not order.channel_order_id:
        raise CannotFetch("this order did not come from a channel: there is nothing to fetch")
    connection = Connection.objects.select_related("channel", "restaurant").get(pk=order.connection_id)
    try:
        module = module_for(connection)
    except UnknownChannelModule as exc:
        raise CannotFetch(str(exc)) from None
    declaration = module.features[Feature.GET_ORDER]
    if not declaration.supported:
        raise CannotFetch(f"{connection.channel.name} offers no way to fetch an order: {declaration.reason}")
    before = order.status
    try:
        client = client_for(connection, correlation_id=order.correlation_id or None)
        canonical = storable_copy(client.get_order(order.channel_order_id))
    except InvalidCredentials as exc:
        raise CannotFetch(f"the connection's credentials are not valid: {exc}") from None
    except ChannelError as exc:
        raise CannotFetch(f"the channel did not give the order: {exc}") from None
    if canonical.channel_order_id != order.channel_order_id:
        raise CannotFetch(f"asked for order {order.channel_order_id}, the channel answered with "
                          f"{canonical.channel_order_id}")
    link = ChannelLink(connection_id=connection.pk, restaurant_id=connection.restaurant_id)
    taken, _created = take_order(link, canonical, correlation_id=order.correlation_id, occurred_at=timezone.now())
    return Fetched(before=before, after=taken.status, channel_status=canonical.channel_status)
