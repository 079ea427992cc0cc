"""Support staff can reach every model of ours in admin."""

from django.apps import apps
from django.contrib import admin

OUR_APPS = ("restaurants", "catalog", "orders", "integrations")

# Rows that only make sense inside their parent's page (edited as inlines there).
INLINE_ONLY = {
    "restaurants.restaurantmember",
    "restaurants.serviceavailability",
    "restaurants.schedulerange",
    "catalog.section",
    "catalog.sectionitem",
    "catalog.variant",
    "catalog.productoptioncategory",
    "catalog.option",
    "orders.orderline",
    "orders.payment",
    "orders.delivery",
    "integrations.syncattempt",
}


def test_every_model_is_registered_or_edited_inline():
    missing = []
    for app_label in OUR_APPS:
        for model in apps.get_app_config(app_label).get_models():
            label = f"{app_label}.{model._meta.model_name}"
            if not admin.site.is_registered(model) and label not in INLINE_ONLY:
                missing.append(label)

    assert not missing, f"models without an admin page or inline: {missing}"
