"""Catalog: what a restaurant sells, in Sinqro's canonical vocabulary."""

from .menus import Menu, Section, SectionItem
from .options import Option, OptionCategory, ProductOptionCategory
from .products import Product, Variant

__all__ = ["Menu", "Option", "OptionCategory", "Product", "ProductOptionCategory", "Section", "SectionItem", "Variant"]
