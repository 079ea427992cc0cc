"""The names Django derives for our models and fields (``created at`` from ``created_at``), made translatable.

The same for choice labels that come from ``canonical`` (which knows no Django, so cannot mark them).
A model or field given no ``verbose_name`` is named from its attribute; giving every one an explicit name
would change every field's definition (a migration per app). Instead, at start-up, the derived names are
replaced by lazy translations of the same English text: the admin shows them in the user's language, and
migrations never see it (they read the names a model was declared with, ``Field._verbose_name`` and
``Meta.original_attrs``). The words themselves are listed in ``derived_words.py`` for the catalogue.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

OUR_APPS = ("restaurants", "catalog", "orders", "integrations", "api", "languages")


def our_models() -> list[type[models.Model]]:
    return [model for label in OUR_APPS for model in apps.get_app_config(label).get_models()]


def derived_names() -> set[str]:
    """Every name Django derived (not declared) for our models and their fields, in English."""
    names: set[str] = set()
    with translation.override("en"):
        _collect(names)
    return names


def _collect(names: set[str]) -> None:
    for model in our_models():
        meta = model._meta
        if "verbose_name" not in meta.original_attrs:
            names.add(str(meta.verbose_name))
        if "verbose_name_plural" not in meta.original_attrs:
            names.add(str(meta.verbose_name_plural))
        for field in meta.local_fields + meta.local_many_to_many:
            if field._verbose_name is None:
                names.add(str(field.verbose_name))
        for field in _with_choices(model):
            names.update(str(label) for _value, label in field.flatchoices)


def translate_derived_names() -> None:
    """Replace each derived name by its lazy translation (idempotent: a lazy name stays what it is)."""
    with translation.override("en"):
        _replace()


def _replace() -> None:
    for model in our_models():
        meta = model._meta
        if "verbose_name" not in meta.original_attrs:
            meta.verbose_name = gettext_lazy(str(meta.verbose_name))
        if "verbose_name_plural" not in meta.original_attrs:
            meta.verbose_name_plural = gettext_lazy(str(meta.verbose_name_plural))
        for field in meta.local_fields + meta.local_many_to_many:
            if field._verbose_name is None:
                field.verbose_name = gettext_lazy(str(field.verbose_name))
        for field in _with_choices(model):
            field.choices = [
                (value, label if isinstance(label, Promise) else gettext_lazy(label)) for value, label in field.choices
            ]


def _with_choices(model: type[models.Model]) -> list[models.Field]:
    """Fields whose choices are a list of (value, label) from a vocabulary (``canonical``, which knows no
    Django, or the model's own); not grouped, not computed (the languages' own names stay as they are)."""
    return [
        field for field in model._meta.local_fields
        if isinstance(field.choices, list) and model._meta.app_label != "languages"
        and all(isinstance(label, str | Promise) for _value, label in field.choices)
    ]
