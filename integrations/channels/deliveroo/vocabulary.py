"""Deliveroo's words and ours: order statuses, fulfilment types, rider statuses, prep stages, reject reasons.

Every code is as documented (docs/channels/deliveroo.md has the page of each): the order event statuses of
the Order Events webhook, ``fulfillment_type`` of the Fulfillment Types guide, the rider statuses of the Rider
Events webhook, the transitions of ``PATCH /order/v1/orders/{id}`` and the stages of the prep stage endpoint.
"""

from canonical import CourierStage, OrderStatus, PublishState, RefusalReason, ServiceType
from integrations.channels.statuses import StatusMap

FULFILMENT: dict[str, tuple[ServiceType, bool]] = {
    # fulfillment_type → (service type, delivered by the restaurant's own courier)
    "deliveroo": (ServiceType.DELIVERY, False),  # "picked up and delivered by a Deliveroo rider"
    "restaurant": (ServiceType.DELIVERY, True),  # "the restaurant's fleet delivers the order"
    "customer": (ServiceType.COLLECTION, False),  # "the Deliveroo customer picks up the order"
    "table_service": (ServiceType.IN_SITU, False),
}

EVENT_NEW = "order.new"
EVENT_STATUS = "order.status_update"
EVENT_RIDER = "rider.status_update"

ORDER_STATUSES = StatusMap(
    # The order event statuses: placed, accepted, confirmed (scheduled orders: "Site has confirmed that they
    # started preparing the order"), rejected ("by site or automatically"), canceled ("by site or customer").
    inbound={
        "placed": OrderStatus.RECEIVED,
        "accepted": OrderStatus.ACCEPTED,
        "confirmed": OrderStatus.PREPARING,
        "rejected": OrderStatus.REJECTED,
        "canceled": OrderStatus.CANCELLED,
    },
    # What we post: PATCH status accepted / rejected / confirmed; the prep stage endpoint for the kitchen's steps.
    outbound={
        OrderStatus.ACCEPTED: "accepted",
        OrderStatus.REJECTED: "rejected",
        OrderStatus.PREPARING: "confirmed",
        OrderStatus.READY: "ready_for_collection",
        OrderStatus.PICKED_UP: "collected",
    },
    # "pending" precedes "placed" in every documented status_log: the order is not the restaurant's yet.
    informational=frozenset({"pending"}),
)

PREP_STAGES: dict[OrderStatus, str] = {
    OrderStatus.PREPARING: "in_kitchen",  # "cooking has started"
    OrderStatus.READY: "ready_for_collection",
    OrderStatus.PICKED_UP: "collected",
}
"""``POST /order/v1/orders/{id}/prep_stage`` stages (ready_for_collection_soon has no canonical status)."""

REJECT_REASONS: dict[RefusalReason, str] = {
    RefusalReason.CLOSED: "closing_early",
    RefusalReason.BUSY: "busy",
    RefusalReason.ITEMS_UNAVAILABLE: "ingredient_unavailable",
}
"""``reject_reason``: closing_early, busy, ingredient_unavailable or other (with ``notes``)."""

RIDER_STAGES: dict[str, CourierStage] = {
    "rider_assigned": CourierStage.ASSIGNED,
    "rider_arrived": CourierStage.ARRIVING,  # "Rider nearby to the site"
    "rider_confirmed_at_restaurant": CourierStage.AT_RESTAURANT,
    "rider_in_transit": CourierStage.PICKED_UP,  # "on the way to the customer"
    "rider_nearby": CourierStage.ARRIVING_AT_CUSTOMER,  # "Rider is arriving at customer" (Signature API list)
    "rider_unassigned": CourierStage.UNASSIGNED,
}
BEFORE_PICKUP = frozenset({CourierStage.ASSIGNED, CourierStage.ARRIVING, CourierStage.AT_RESTAURANT})

SITE_OPEN, SITE_CLOSED = "OPEN", "CLOSED"
"""``PUT …/sites/{site}/status``: OPEN, CLOSED (READY_TO_OPEN is Deliveroo's own, after a forced closure)."""

ITEM_AVAILABLE, ITEM_UNAVAILABLE = "available", "unavailable"

# The Menu webhook's result of an upload (its body's words are not in the stored pages: deliveroo.md §2).
MENU_UPLOAD_RESULTS: dict[str, PublishState] = {"succeeded": PublishState.DONE, "failed": PublishState.FAILED}

# Days off Deliveroo itself sets when a site does not work as expected: the API may neither cancel nor change them.
FORCED_CLOSURE = "FORCED_CLOSURE"
"""Item unavailabilities: available, unavailable (sold out until the morning stock reset), hidden."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
