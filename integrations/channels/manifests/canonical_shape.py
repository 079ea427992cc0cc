"""The canonical models' shape, for the manifest: which fields exist where, and which are objects or lists.

The manifest's ``order`` mapping mirrors ``CanonicalOrder`` field by field; this is how a misspelt field is
named with its line, and how a null is left to the model's own default instead of overriding it.
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from canonical import Cancellation, CanonicalOrder, CourierUpdate


def nested_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The model a field holds (itself, in a tuple or optional), or None for a plain value."""
    return _model_in(model.model_fields[name].annotation)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, types.UnionType, tuple, list) or get_args(annotation):
        for argument in get_args(annotation):
            found = _model_in(argument)
            if found is not None:
                return found
    return None


def _allows_none(annotation: Any) -> bool:
    return annotation is None or type(None) in get_args(annotation)


def is_money(model: type[BaseModel], name: str) -> bool:
    found = nested_model(model, name)
    return found is not None and found.__name__ == "Money"


def without_nulls(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with each null dropped where the model's field has a non-null default (``display_code: ""``),
    recursively into nested models, so a missing value takes the model's own default."""
    cleaned: dict[str, Any] = {}
    for name, value in data.items():
        field = model.model_fields.get(name)
        if field is None:
            cleaned[name] = value
            continue
        if value is None and not field.is_required() and not _allows_none(field.annotation):
            continue
        inner = nested_model(model, name)
        if inner is not None and inner.__name__ != "Money":
            if isinstance(value, dict):
                value = without_nulls(inner, value)
            elif isinstance(value, list):
                value = [without_nulls(inner, item) if isinstance(item, dict) else item for item in value]
        cleaned[name] = value
    return cleaned


ROOTS: dict[str, type[BaseModel]] = {"order": CanonicalOrder, "cancellation": Cancellation, "courier": CourierUpdate}
