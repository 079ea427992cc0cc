"""The catalog body: the canonical catalog's shape (the one channel modules publish), as JSON."""

from __future__ import annotations

from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError
from rest_framework import serializers

from canonical import CanonicalCatalog, MenuKind

money = {"max_digits": 10, "decimal_places": 2, "min_value": 0}
rate = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}
SKU = {"max_length": 64}


class VariantIn(serializers.Serializer):
    sku = serializers.CharField(**SKU)
    name = serializers.CharField(max_length=200)
    price = serializers.DecimalField(**money, help_text="The full price of this variant")
    available = serializers.BooleanField(default=True)


class OptionIn(serializers.Serializer):
    sku = serializers.CharField(**SKU)
    name = serializers.CharField(max_length=200)
    price = serializers.DecimalField(**money, default=0, help_text="Extra on top of the product")
    vat_rate = serializers.DecimalField(**rate, default=10)
    available = serializers.BooleanField(default=True)


class OptionCategoryIn(serializers.Serializer):
    ref = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    min_selections = serializers.IntegerField(min_value=0, max_value=1000, default=0)
    max_selections = serializers.IntegerField(min_value=0, max_value=1000, default=1)
    max_per_option = serializers.IntegerField(min_value=1, max_value=1000, default=1)
    options = OptionIn(many=True, default=list)


class ProductIn(serializers.Serializer):
    sku = serializers.CharField(**SKU)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, default="", max_length=5000)
    price = serializers.DecimalField(**money)
    vat_rate = serializers.DecimalField(**rate, default=10)
    available = serializers.BooleanField(default=True)
    image_url = serializers.URLField(allow_blank=True, default="", max_length=500)
    variants = VariantIn(many=True, default=list)
    option_category_refs = serializers.ListField(child=serializers.CharField(max_length=64), default=list)


class SectionIn(serializers.Serializer):
    ref = serializers.CharField(max_length=64, help_text="section-<id> keeps an existing section; anything else")
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, default="", max_length=5000)
    product_skus = serializers.ListField(child=serializers.CharField(**SKU), default=list)


class MenuIn(serializers.Serializer):
    ref = serializers.CharField(max_length=64, help_text="menu-<id> keeps an existing menu; else matched by name")
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=[k.value for k in MenuKind], default=MenuKind.REGULAR.value)
    set_price = serializers.DecimalField(**money, required=False, allow_null=True, default=None)
    sections = SectionIn(many=True, default=list)


class CatalogIn(serializers.Serializer):
    """Replaces the whole catalog: what is not in the body is removed."""

    currency = serializers.RegexField(r"^[A-Z]{3}$", help_text="Must be the restaurant's currency")
    menus = MenuIn(many=True, default=list)
    products = ProductIn(many=True, default=list)
    option_categories = OptionCategoryIn(many=True, default=list)

    def validate_currency(self, value: str) -> str:
        expected = self.context["restaurant"].currency
        if value != expected:
            raise serializers.ValidationError(_("The restaurant sells in %(currency)s.") % {"currency": expected})
        return value

    def validate(self, attrs: dict) -> dict:
        # Cross-references (duplicate SKUs, unknown products in sections…) are the canonical type's rules.
        _unique(attrs["option_categories"], "ref", "option_categories")
        _unique(attrs["menus"], "name", "menus")
        for index, menu in enumerate(attrs["menus"]):
            _unique(menu["sections"], "name", f"menus.{index}.sections")
        for menu in attrs["menus"]:
            if (menu["kind"] == MenuKind.SET_MENU) != (menu.get("set_price") is not None):
                message = _("A set menu needs a set_price; a regular menu has none.")
                raise serializers.ValidationError({"menus": [message]})
        try:
            attrs["canonical"] = CanonicalCatalog.model_validate(attrs)
        except PydanticValidationError as exc:
            raise serializers.ValidationError(_pydantic_fields(exc)) from None
        return attrs


class ItemPatchIn(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    price = serializers.DecimalField(**money, required=False)
    available = serializers.BooleanField(required=False)

    def validate(self, attrs: dict) -> dict:
        if not attrs:
            raise serializers.ValidationError({"non_field_errors": [_("Send at least one of name, price, available.")]})
        return attrs


class ItemOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["product", "variant", "option"])
    sku = serializers.CharField()
    name = serializers.CharField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    available = serializers.BooleanField()
    snoozed_until = serializers.DateTimeField(allow_null=True)


class SnoozeIn(serializers.Serializer):
    until = serializers.DateTimeField(help_text="Back on sale at this instant")


class PublishingOut(serializers.Serializer):
    """A sync job queued for one channel."""

    job_id = serializers.IntegerField(source="pk")
    connection_id = serializers.IntegerField()
    kind = serializers.CharField()
    state = serializers.CharField()


class CatalogReplacedOut(serializers.Serializer):
    products = serializers.IntegerField()
    option_categories = serializers.IntegerField()
    menus = serializers.IntegerField()
    publishing = PublishingOut(many=True)


def _unique(entries: list[dict], key: str, field: str) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry[key] in seen:
            message = _("Duplicate %(key)s %(value)r.") % {"key": key, "value": entry[key]}
            raise serializers.ValidationError({field: [message]})
        seen.add(entry[key])


def _pydantic_fields(exc: PydanticValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"]) or "non_field_errors"
        fields.setdefault(name, []).append(error["msg"].removeprefix("Value error, "))
    return fields
