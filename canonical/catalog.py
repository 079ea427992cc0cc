"""The canonical catalog: what a restaurant publishes on its channels.

Products and option categories are listed once and referenced by their
stable reference (SKU/PLU) from sections and products, because channels
share one product across several sections and menus. A module denormalises
where its channel nests.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from ._base import Canonical, UtcDatetime
from .availability import WeeklyRange
from .enums import MenuKind
from .money import ExactDecimal, LenientDecimal


class CatalogVariant(Canonical):
    sku: str = Field(min_length=1)
    name: str
    price: ExactDecimal = Field(ge=0, description="the full price of this variant")
    available: bool = True


class CatalogOption(Canonical):
    sku: str = Field(min_length=1)
    name: str
    price: ExactDecimal = Field(ge=0, description="extra on top of the product")
    vat_rate: LenientDecimal = Field(default=0, ge=0)
    available: bool = True


class CatalogOptionCategory(Canonical):
    ref: str = Field(min_length=1)
    name: str
    min_selections: int = Field(0, ge=0)
    max_selections: int = Field(1, ge=0)
    max_per_option: int = Field(1, ge=1)
    options: tuple[CatalogOption, ...] = ()

    @model_validator(mode="after")
    def _bounds(self) -> CatalogOptionCategory:
        if self.min_selections > self.max_selections:
            raise ValueError(f"option category {self.ref}: min_selections > max_selections")
        return self


class CatalogProduct(Canonical):
    sku: str = Field(min_length=1)
    name: str
    description: str = ""
    price: ExactDecimal = Field(ge=0)
    vat_rate: LenientDecimal = Field(default=0, ge=0)
    available: bool = True
    image_url: str = ""
    variants: tuple[CatalogVariant, ...] = ()
    option_category_refs: tuple[str, ...] = ()


class CatalogSection(Canonical):
    ref: str = Field(min_length=1)
    name: str
    description: str = ""
    product_skus: tuple[str, ...] = ()


class CatalogMenu(Canonical):
    ref: str = Field(min_length=1)
    name: str
    kind: MenuKind = MenuKind.REGULAR
    set_price: ExactDecimal | None = None
    sections: tuple[CatalogSection, ...] = ()


class CanonicalCatalog(Canonical):
    currency: str = Field(min_length=3, max_length=3)
    menus: tuple[CatalogMenu, ...] = ()
    products: tuple[CatalogProduct, ...] = ()
    option_categories: tuple[CatalogOptionCategory, ...] = ()
    hours: tuple[WeeklyRange, ...] | None = Field(
        None, description="when the menus are served: the restaurant's weekly hours in its own time, for channels "
        "whose menu carries them (Uber Eats' service_availability makes the store's hours); None: not given",
    )

    @model_validator(mode="after")
    def _references_resolve(self) -> CanonicalCatalog:
        skus: set[str] = set()
        for sku in self._all_skus():
            if sku in skus:
                raise ValueError(f"duplicate SKU {sku!r} in the catalog")
            skus.add(sku)
        products = {product.sku for product in self.products}
        categories = {category.ref for category in self.option_categories}
        for menu in self.menus:
            for section in menu.sections:
                missing = [sku for sku in section.product_skus if sku not in products]
                if missing:
                    raise ValueError(f"section {section.ref} lists unknown products {missing}")
        for product in self.products:
            missing = [ref for ref in product.option_category_refs if ref not in categories]
            if missing:
                raise ValueError(f"product {product.sku} uses unknown option categories {missing}")
        return self

    def _all_skus(self) -> list[str]:
        found = []
        for product in self.products:
            found.append(product.sku)
            found.extend(variant.sku for variant in product.variants)
        for category in self.option_categories:
            found.extend(option.sku for option in category.options)
        return found

    def product(self, sku: str) -> CatalogProduct:
        for product in self.products:
            if product.sku == sku:
                return product
        raise KeyError(sku)

    def option_category(self, ref: str) -> CatalogOptionCategory:
        for category in self.option_categories:
            if category.ref == ref:
                return category
        raise KeyError(ref)


class ItemKind(StrEnum):
    PRODUCT = "product"
    VARIANT = "variant"
    OPTION = "option"


class ItemUpdate(Canonical):
    """A partial change to one orderable item (for channels that accept partial updates)."""

    kind: ItemKind
    sku: str = Field(min_length=1)
    name: str | None = None
    price: ExactDecimal | None = Field(None, ge=0)
    available: bool | None = None
    snoozed_until: UtcDatetime | None = None


class PublishState(StrEnum):
    DONE = "done"
    PROCESSING = "processing"
    FAILED = "failed"


class PublishResult(Canonical):
    """What a channel answered to a catalog publish; ``processing`` carries a transaction id to poll."""

    state: PublishState
    transaction_id: str = ""
    errors: tuple[str, ...] = ()
    external_ids: dict[str, str] = Field(default_factory=dict, description="our SKU/ref → the channel's id")
