"""The admin doors to what channels mirror: every save goes through the outbound service the API uses.

Pauses, weekly hours, calendar exceptions, service availability and every catalog row are copied on
the channels, so an admin edit must reach them like a POS call does. The domain apps may not import
the integration layer, so their admin modules keep plain classes (what each page shows) and this
module, which may import both, replaces those registrations with subclasses whose saves, deletes
and actions call ``integrations.outbound.services``. Django runs an admin save or delete inside
one transaction, so the rows and their ``SyncJob`` commit together (the actions open their own).

- A pause added (its page or the restaurant page's inline) is ``pause_restaurant``; ending one
  (the "Resume" action, or an end moved to now or the past) is ``resume_restaurant``; moving the
  end of a running pause to another future time ends it and pauses again with the new end (the
  channel keeps one pause per scope, and history keeps both rows). A channel's refusal (Glovo
  needs an end time) is a form error, before anything is written.
- Weekly hours, calendar exceptions and service availability (the restaurant page's inlines, the
  exception pages, a timezone change) are ``set_opening_hours``, once per save.
- Any catalog row saved or deleted is ``publish_catalog`` for its restaurant, once per save; the
  runner diffs it against what each channel has, so unchanged rows cost no call and a price or
  availability change is one item update where the channel takes partial updates.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseFormSet
from django.http import HttpRequest
from django.utils import timezone

from catalog import admin as catalog_admin
from catalog.models import Menu, Option, OptionCategory, Product, ProductOptionCategory, Section, SectionItem, Variant
from restaurants import admin as restaurants_admin
from restaurants.models import CalendarException, Pause, Restaurant, ScheduleRange, ServiceAvailability

from ..outbound.services import pause_restaurant, publish_catalog, resume_restaurant, set_opening_hours
from ..outbound.services.availability import pause_targets

# Rows of the restaurant page whose change is a new opening-hours document for the channels.
HOURS_ROWS = (ScheduleRange, CalendarException, ServiceAvailability)
# A pause's "end" on the channel: changing either is ending the pause and, maybe, pausing again.
PAUSE_SCOPE = {"until", "service_type"}


def formset_changed(formset: BaseFormSet) -> bool:
    """After ``formset.save()``: did it add, change or delete a row?"""
    return bool(
        getattr(formset, "new_objects", None)
        or getattr(formset, "changed_objects", None)
        or getattr(formset, "deleted_objects", None)
    )


# --- pauses ----------------------------------------------------------------------------------------


class PauseForm(forms.ModelForm):
    """Refuses, before saving, what the pause service would refuse: an end already past, a channel's rule."""

    class Meta:
        model = Pause
        fields = ["restaurant", "service_type", "until", "reason"]

    def clean(self) -> dict:
        data = super().clean()
        adding = self.instance.pk is None
        if not adding and not PAUSE_SCOPE & set(self.changed_data):
            return data
        until = data.get("until")
        service_type = data.get("service_type", self.instance.service_type) or None
        restaurant = data.get("restaurant") or (self.instance.restaurant if self.instance.restaurant_id else None)
        if until is not None and until <= timezone.now():
            if adding:
                self.add_error("until", "Must be in the future: a pause already over would stop nothing.")
            return data  # on a pause there is, an end now or past ends it (a resume)
        if restaurant is not None:
            try:
                pause_targets(restaurant, until, service_type)
            except ValueError as exc:
                self.add_error("until", str(exc))
        return data


def save_pause(request: HttpRequest, pause: Pause, changed: list[str] | None) -> Pause:
    """Save an admin-edited pause through the services; returns the pause now in force (or the edited row).

    ``changed`` is the form's changed fields, None for a new pause.
    """
    by = request.user
    if pause.pk is None:
        created = pause_restaurant(
            pause.restaurant, pause.until, pause.reason, service_type=pause.service_type or None, by=by
        )
        pause.pk, pause.created_at, pause.created_by = created.pk, created.created_at, created.created_by
        return created
    if not PAUSE_SCOPE & set(changed or ()):
        pause.save()  # the reason: ours only, the channel has no word for it once paused
        return pause
    stored = Pause.objects.select_related("restaurant").get(pk=pause.pk)
    running = stored.is_active()
    if running:
        resume_restaurant(stored.restaurant, service_type=stored.service_type, by=by)
    if pause.until is None or pause.until > timezone.now():
        return pause_restaurant(
            stored.restaurant, pause.until, pause.reason, service_type=pause.service_type or None, by=by
        )
    if not running:
        pause.save()  # correcting the record of a pause already over: nothing for a channel
    return pause


class PauseInline(restaurants_admin.PauseInline):
    form = PauseForm


class PauseAdmin(restaurants_admin.PauseAdmin):
    form = PauseForm
    actions = ["resume_selected"]

    def get_readonly_fields(self, request: HttpRequest, obj: Pause | None = None) -> list[str]:
        """A pause keeps its restaurant and scope; only a running one may have its end moved."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["restaurant", "service_type"] + ([] if obj.is_active() else ["until"])
        return fields

    def save_model(self, request: HttpRequest, obj: Pause, form, change: bool) -> None:
        in_force = save_pause(request, obj, form.changed_data if change else None)
        if change and in_force.pk != obj.pk:
            self.message_user(request, f"Ended it and paused again: {in_force} (#{in_force.pk}).", messages.INFO)

    @admin.action(description="Resume selected pauses now (here and on the channels)")
    def resume_selected(self, request: HttpRequest, queryset: QuerySet[Pause]) -> None:
        """One ``resume_restaurant`` per restaurant and scope of the selected running pauses.

        A resume ends every running pause of its scope (a restaurant-wide one ends one-service
        pauses too): the channel knows one pause per scope, so that is what it will show.
        """
        with transaction.atomic():
            running = Pause.objects.filter(pk__in=queryset.values("pk")).active(timezone.now())
            scopes = set(running.values_list("restaurant_id", "service_type"))
            ended = 0
            restaurants = Restaurant.objects.in_bulk({restaurant_id for restaurant_id, _ in scopes})
            for restaurant_id, service_type in sorted(scopes, key=lambda scope: (scope[0], scope[1] or "")):
                if service_type is not None and (restaurant_id, None) in scopes:
                    continue  # the restaurant-wide resume below ends it
                ended += resume_restaurant(restaurants[restaurant_id], service_type=service_type, by=request.user)
        self.message_user(request, f"Resumed {ended} pause(s), here and on the channels.", messages.SUCCESS)


# --- the restaurant page: hours, exceptions, service availability and pauses as inlines ------------


class RestaurantAdmin(restaurants_admin.RestaurantAdmin):
    inlines = [
        PauseInline if inline is restaurants_admin.PauseInline else inline
        for inline in restaurants_admin.RestaurantAdmin.inlines
    ]

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        """Pauses through the pause services; any change of hours, one ``set_opening_hours`` after them all."""
        form.save_m2m()
        hours_changed = "timezone" in form.changed_data
        for formset in formsets:
            if formset.model is Pause:
                formset.save(commit=False)  # fills new_objects / changed_objects, which the change log reads
                for pause in formset.new_objects:
                    save_pause(request, pause, None)
                for pause, changed in formset.changed_objects:
                    save_pause(request, pause, changed)
                continue
            self.save_formset(request, form, formset, change=change)
            hours_changed = hours_changed or (formset.model in HOURS_ROWS and formset_changed(formset))
        if hours_changed:
            set_opening_hours(form.instance)


# --- rows published as a whole: calendar exceptions (hours document) and the catalog --------------


class PublishesOnSave:
    """A save or delete (one row, or a bulk delete) publishes each restaurant it touched, once.

    ``restaurant_path`` is the lookup from the row to its restaurant; ``publish`` what it sends.
    Saves publish after the inlines (``save_related``), inside the admin's transaction.
    """

    model: type[models.Model]
    restaurant_path = "restaurant"

    def publish(self, restaurant: Restaurant) -> None:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        before = self._restaurant_ids(self.model.objects.filter(pk=obj.pk)) if change else set()
        super().save_model(request, obj, form, change)
        form.publish_to = before | self._restaurant_ids(self.model.objects.filter(pk=obj.pk))

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if form.has_changed() or any(formset_changed(formset) for formset in formsets):
            self._publish(getattr(form, "publish_to", set()))

    def delete_model(self, request: HttpRequest, obj) -> None:
        restaurant_ids = self._restaurant_ids(self.model.objects.filter(pk=obj.pk))
        super().delete_model(request, obj)
        self._publish(restaurant_ids)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():
            restaurant_ids = self._restaurant_ids(queryset)
            super().delete_queryset(request, queryset)
            self._publish(restaurant_ids)

    def _restaurant_ids(self, queryset: QuerySet) -> set[int]:
        return set(queryset.values_list(self.restaurant_path, flat=True)) - {None}

    def _publish(self, restaurant_ids: set[int]) -> None:
        for restaurant in Restaurant.objects.filter(pk__in=restaurant_ids).order_by("pk"):
            self.publish(restaurant)


class PublishesHours(PublishesOnSave):
    def publish(self, restaurant: Restaurant) -> None:
        set_opening_hours(restaurant)


class PublishesCatalog(PublishesOnSave):
    def publish(self, restaurant: Restaurant) -> None:
        publish_catalog(restaurant)


class CalendarExceptionAdmin(PublishesHours, restaurants_admin.CalendarExceptionAdmin):
    pass


class MenuAdmin(PublishesCatalog, catalog_admin.MenuAdmin):
    pass


class SectionAdmin(PublishesCatalog, catalog_admin.SectionAdmin):
    restaurant_path = "menu__restaurant"


class SectionItemAdmin(PublishesCatalog, catalog_admin.SectionItemAdmin):
    restaurant_path = "section__menu__restaurant"


class ProductAdmin(PublishesCatalog, catalog_admin.ProductAdmin):
    pass


class VariantAdmin(PublishesCatalog, catalog_admin.VariantAdmin):
    restaurant_path = "product__restaurant"


class OptionCategoryAdmin(PublishesCatalog, catalog_admin.OptionCategoryAdmin):
    pass


class ProductOptionCategoryAdmin(PublishesCatalog, catalog_admin.ProductOptionCategoryAdmin):
    restaurant_path = "product__restaurant"


class OptionAdmin(PublishesCatalog, catalog_admin.OptionAdmin):
    restaurant_path = "category__restaurant"


MIRRORED: dict[type[models.Model], type[admin.ModelAdmin]] = {
    Restaurant: RestaurantAdmin,
    Pause: PauseAdmin,
    CalendarException: CalendarExceptionAdmin,
    Menu: MenuAdmin,
    Section: SectionAdmin,
    SectionItem: SectionItemAdmin,
    Product: ProductAdmin,
    Variant: VariantAdmin,
    OptionCategory: OptionCategoryAdmin,
    ProductOptionCategory: ProductOptionCategoryAdmin,
    Option: OptionAdmin,
}

for _model, _admin_class in MIRRORED.items():
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin_class)
