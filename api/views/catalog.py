"""The catalog from the POS: replace it, patch one item, snooze and unsnooze. Each change is published."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from catalog.export import build_canonical_catalog
from catalog.models import Variant
from integrations.outbound.services import snooze, unsnooze

from .. import scoping
from ..errors import field_error
from ..serializers.catalog import CatalogIn, CatalogReplacedOut, ItemOut, ItemPatchIn, SnoozeIn
from ..services.catalog import replace_catalog
from ..services.catalog_items import describe, find_item, patch_item
from .base import PosApiView
from .errors_schema import ERRORS, ERRORS_WRITE


class CatalogView(PosApiView):
    serializer_class = CatalogIn

    @extend_schema(operation_id="catalog_read", responses={200: CatalogIn, **ERRORS})
    def get(self, request, pk: int) -> Response:
        restaurant = scoping.restaurant_or_404(request, pk)
        return Response(build_canonical_catalog(restaurant).model_dump(mode="json"))

    @extend_schema(
        operation_id="catalog_replace",
        request=CatalogIn,
        responses={202: CatalogReplacedOut, **ERRORS_WRITE},
        description="Replace the whole catalog (what the body leaves out is removed) and publish it to every "
        "channel. 202: stored here; each channel's publish runs in the background (see `publishing`).",
    )
    def put(self, request, pk: int) -> Response:
        restaurant = scoping.restaurant_or_404(request, pk)
        body = CatalogIn(data=request.data, context={"restaurant": restaurant})
        body.is_valid(raise_exception=True)
        replaced = replace_catalog(restaurant, body.validated_data["canonical"])
        return Response(CatalogReplacedOut(replaced).data, status=status.HTTP_202_ACCEPTED)


class CatalogItemView(PosApiView):
    serializer_class = ItemPatchIn

    @extend_schema(
        operation_id="catalog_item_patch",
        request=ItemPatchIn,
        responses={200: ItemOut, **ERRORS_WRITE},
        description="Change one product, variant or option by SKU; channels that take partial updates get only it.",
    )
    def patch(self, request, pk: int, sku: str) -> Response:
        restaurant = scoping.restaurant_or_404(request, pk)
        item = find_item(restaurant, sku)
        body = ItemPatchIn(data=request.data)
        body.is_valid(raise_exception=True)
        patched = patch_item(restaurant, item, dict(body.validated_data))
        return Response(ItemOut(describe(patched.item)).data)


class SnoozeView(PosApiView):
    serializer_class = SnoozeIn

    def _snoozable(self, request, pk: int, sku: str):
        restaurant = scoping.restaurant_or_404(request, pk)
        item = find_item(restaurant, sku)
        if isinstance(item, Variant):
            raise field_error("sku", _("A variant cannot be snoozed alone: snooze its product."))
        return item

    @extend_schema(
        operation_id="catalog_item_snooze",
        request=SnoozeIn,
        responses={200: ItemOut, **ERRORS_WRITE},
        description="Off sale until `until` (sold out tonight); it comes back by itself.",
    )
    def post(self, request, pk: int, sku: str) -> Response:
        item = self._snoozable(request, pk, sku)
        body = SnoozeIn(data=request.data)
        body.is_valid(raise_exception=True)
        if body.validated_data["until"] <= timezone.now():
            raise field_error("until", _("Must be in the future."))
        snooze(item, body.validated_data["until"])
        return Response(ItemOut(describe(item)).data)

    @extend_schema(operation_id="catalog_item_unsnooze", request=None, responses={200: ItemOut, **ERRORS_WRITE})
    def delete(self, request, pk: int, sku: str) -> Response:
        item = self._snoozable(request, pk, sku)
        unsnooze(item)
        return Response(ItemOut(describe(item)).data)
