"""Admin for the catalog: support staff edit menus, products and options here.

Channels are published from these rows, and publishing belongs to the integration layer, which the
domain may not import: ``integrations.admin.mirrored`` registers subclasses of these classes whose
saves and deletes publish the restaurant's catalog. These plain classes only say what the pages show.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from catalog.models import Menu, Option, OptionCategory, Product, ProductOptionCategory, Section, SectionItem, Variant


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["name", "description", "position"]
    show_change_link = True  # a section's products are edited on its own page


class SectionItemInline(admin.TabularInline):
    model = SectionItem
    extra = 0
    fields = ["product", "position"]
    autocomplete_fields = ["product"]


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    fields = ["sku", "name", "price", "available", "position"]


class ProductOptionCategoryInline(admin.TabularInline):
    model = ProductOptionCategory
    extra = 0
    fields = ["category", "position"]
    autocomplete_fields = ["category"]


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    fields = ["sku", "name", "price", "vat_rate", "available", "snoozed_until", "position"]


@admin.register(Menu)
class MenuAdmin(admin.ModelAdmin):
    list_display = ["name", "restaurant", "kind", "set_price", "active", "position"]
    list_filter = ["restaurant", "kind", "active"]
    search_fields = ["name"]
    list_select_related = ["restaurant"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "menu", "position"]
    list_filter = ["menu__restaurant", "menu"]
    search_fields = ["name", "menu__name"]
    list_select_related = ["menu"]
    inlines = [SectionItemInline]


@admin.register(SectionItem)
class SectionItemAdmin(admin.ModelAdmin):
    list_display = ["section", "product", "position"]
    list_filter = ["section__menu__restaurant"]
    search_fields = ["product__name", "product__sku", "section__name"]
    list_select_related = ["section__menu", "product"]
    autocomplete_fields = ["product"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "price", "vat_rate", "available", "snoozed_until", "restaurant"]
    list_filter = ["restaurant", "available"]
    search_fields = ["name", "sku"]
    list_select_related = ["restaurant"]
    inlines = [VariantInline, ProductOptionCategoryInline]
    # Image links are typed without a scheme; https is the only one a channel will accept.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Variant)
class VariantAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "product", "price", "available"]
    list_filter = ["product__restaurant", "available"]
    search_fields = ["name", "sku", "product__name", "product__sku"]
    list_select_related = ["product"]
    autocomplete_fields = ["product"]


@admin.register(OptionCategory)
class OptionCategoryAdmin(admin.ModelAdmin):
    list_display = ["ref", "name", "min_selections", "max_selections", "max_per_option", "restaurant"]
    list_filter = ["restaurant"]
    search_fields = ["name", "ref"]
    list_select_related = ["restaurant"]
    inlines = [OptionInline]


@admin.register(ProductOptionCategory)
class ProductOptionCategoryAdmin(admin.ModelAdmin):
    list_display = ["product", "category", "position"]
    list_filter = ["product__restaurant"]
    search_fields = ["product__name", "product__sku", "category__name", "category__ref"]
    list_select_related = ["product", "category"]
    autocomplete_fields = ["product", "category"]


@admin.register(Option)
class OptionAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "price", "vat_rate", "available", "snoozed_until", "category"]
    list_filter = ["category__restaurant", "available"]
    search_fields = ["name", "sku", "category__name"]
    list_select_related = ["category"]
    autocomplete_fields = ["category"]
