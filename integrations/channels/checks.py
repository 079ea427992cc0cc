"""Static checks of a module's declaration against its implementation.

Used by the contract test kit and by ``manage.py channels --check``. Each
problem is a sentence an integration engineer can act on.
"""

from __future__ import annotations

from canonical import OrderStatus, ServiceType

from .base import ChannelClient, ChannelModule
from .credentials import ChannelCredentials
from .features import (
    OPTIONS_FOR,
    CatalogMode,
    Feature,
    Features,
    NotSupported,
    PostAvailabilityOptions,
    PostStatusOptions,
    PublishCatalogOptions,
    Supported,
    WebhookNewOrderOptions,
)
from .limits import Deadline, RateLimit
from .statuses import StatusMap


def _overrides(cls: type, base: type, name: str) -> bool:
    return getattr(cls, name, None) is not getattr(base, name)


def required_methods(features: Features) -> dict[Feature, list[tuple[str, str]]]:
    """For each supported feature, the (owner, method) pairs that must be implemented."""
    needed: dict[Feature, list[tuple[str, str]]] = {}
    for feature, declaration in features.items():
        if not isinstance(declaration, Supported):
            continue
        options = features.options(feature)
        methods: list[tuple[str, str]] = []
        if feature == Feature.GET_ORDER:
            methods.append(("client", "get_order"))
        elif feature == Feature.GET_STATUS:
            methods.append(("client", "get_order_status"))
        elif feature == Feature.PUBLISH_CATALOG:
            assert isinstance(options, PublishCatalogOptions)
            if options.mode in (CatalogMode.FULL, CatalogMode.FULL_AND_PARTIAL):
                methods.append(("client", "publish_catalog"))
            if options.mode in (CatalogMode.PARTIAL, CatalogMode.FULL_AND_PARTIAL):
                methods.append(("client", "update_catalog_items"))
            if options.asynchronous:
                methods.append(("client", "get_publish_result"))
        elif feature == Feature.POST_STATUS:
            methods.append(("client", "set_order_status"))
        elif feature == Feature.POST_DELIVERY_LOCATION:
            methods.append(("client", "update_delivery_location"))
        elif feature == Feature.POST_AVAILABILITY:
            assert isinstance(options, PostAvailabilityOptions)
            if options.weekly_hours or options.exceptions:
                methods.append(("client", "set_opening_hours"))
            if options.pause:
                methods += [("client", "pause"), ("client", "resume")]
        elif feature in (Feature.WEBHOOK_NEW_ORDER, Feature.WEBHOOK_STATUS_CHANGED):
            methods += [("module", "verify_webhook"), ("module", "parse_webhook")]
        needed[feature] = methods
    return needed


def check_module(module_cls: type[ChannelModule]) -> list[str]:
    """Every way the module's declaration and implementation disagree (empty when consistent)."""
    problems: list[str] = []
    name = getattr(module_cls, "__name__", str(module_cls))
    for attribute in ("slug", "name", "features", "credentials", "order_statuses"):
        if not hasattr(module_cls, attribute):
            problems.append(f"{name}: missing class attribute {attribute!r}")
    if problems:
        return problems

    features = module_cls.features
    if not isinstance(features, Features):
        return [f"{name}: features must be a Features(...) declaration"]
    for feature, declaration in features.items():
        if not isinstance(declaration, Supported | NotSupported):
            problems.append(f"{feature.value}: declare Supported(...) or NotSupported('why'), got {declaration!r}")
        elif isinstance(declaration, Supported) and declaration.options is not None:
            expected = OPTIONS_FOR[feature]
            if not isinstance(declaration.options, expected):
                problems.append(f"{feature.value}: options must be {expected.__name__}")

    if not (isinstance(module_cls.credentials, type) and issubclass(module_cls.credentials, ChannelCredentials)):
        problems.append("credentials must be a ChannelCredentials subclass")
    if not issubclass(module_cls.client_class, ChannelClient):
        problems.append("client_class must be a ChannelClient subclass")
        return problems

    for feature, methods in required_methods(features).items():
        for owner, method in methods:
            implemented = (
                _overrides(module_cls.client_class, ChannelClient, method)
                if owner == "client"
                else _overrides(module_cls, ChannelModule, method)
            )
            if not implemented:
                problems.append(
                    f"{feature.value} is declared Supported but {owner}.{method}() is not implemented"
                )

    problems += _check_statuses(module_cls)

    if features.supports(Feature.WEBHOOK_NEW_ORDER):
        options = features.options(Feature.WEBHOOK_NEW_ORDER)
        assert isinstance(options, WebhookNewOrderOptions)
        if options.thin and not features.supports(Feature.GET_ORDER):
            problems.append("webhook_new_order is thin (carries only an id) but get_order is not supported")

    problems += _check_fields(module_cls)

    for limit in module_cls.rate_limits:
        if not isinstance(limit, RateLimit):
            problems.append(f"rate_limits must hold RateLimit objects, got {limit!r}")
    for deadline in module_cls.deadlines:
        if not isinstance(deadline, Deadline):
            problems.append(f"deadlines must hold Deadline objects, got {deadline!r}")
    return problems


def _check_fields(module_cls: type[ChannelModule]) -> list[str]:
    """``ignored_fields`` and ``known_gaps``: paths with a reason each, no path in both."""
    problems: list[str] = []
    for label in ("ignored_fields", "known_gaps"):
        declared = getattr(module_cls, label)
        for path, reason in declared.items():
            if not isinstance(path, str) or not path.strip() or " " in path:
                problems.append(f"{label}: {path!r} is not a field path (keys joined with '.', '[]' for items)")
            if not isinstance(reason, str) or not reason.strip():
                problems.append(f"{label}: {path!r} needs a reason")
    for path in set(module_cls.ignored_fields) & set(module_cls.known_gaps):
        problems.append(f"{path!r} is both ignored on purpose and a known gap: it is one or the other")
    return problems


def _check_statuses(module_cls: type[ChannelModule]) -> list[str]:
    problems: list[str] = []
    maps: list[tuple[str, StatusMap]] = [("order_statuses", module_cls.order_statuses)]
    if module_cls.reservation_statuses is not None:
        maps.append(("reservation_statuses", module_cls.reservation_statuses))
    for label, status_map in maps:
        if not isinstance(status_map, StatusMap):
            problems.append(f"{label} must be a StatusMap")
            continue
        for code, status in status_map.inbound.items():
            if not isinstance(status, OrderStatus):
                problems.append(f"{label}: channel status {code!r} maps to {status!r}, not a canonical OrderStatus")
        for status, code in status_map.outbound.items():
            back = status_map.inbound.get(code)  # general maps only; per-service overrides are checked by the kit
            if back is not None and back != status:
                problems.append(
                    f"{label}: posting {status} sends {code!r}, which the channel reports back as {back} (round trip)"
                )

    if module_cls.features.supports(Feature.POST_STATUS):
        options = module_cls.features.options(Feature.POST_STATUS)
        assert isinstance(options, PostStatusOptions)
        if not options.statuses:
            problems.append("post_status is Supported but declares no statuses it can post")
        order_out = set(module_cls.order_statuses.all_outbound())
        reservation_out = (
            set(module_cls.reservation_statuses.all_outbound()) if module_cls.reservation_statuses else set()
        )
        takes_orders = bool(options.service_types - {ServiceType.RESERVATION})
        for status in sorted(options.statuses):
            if status not in order_out | reservation_out:
                problems.append(f"post_status declares {status} but no status map has an outbound code for it")
            elif takes_orders and status in _ORDER_ONLY and status not in order_out:
                problems.append(f"post_status declares {status} but order_statuses has no outbound code for it")
        for deadline in module_cls.deadlines:
            if deadline.status not in options.statuses:
                problems.append(f"deadline for {deadline.status} but that status is not postable")
    return problems


_ORDER_ONLY = frozenset(
    {OrderStatus.ACCEPTED, OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.PICKED_UP, OrderStatus.DELIVERED}
)
