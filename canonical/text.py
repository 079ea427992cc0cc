"""Text a database can hold: what a channel says is kept, characters no column can store are shown as �.

PostgreSQL text and jsonb refuse NUL; UTF-8 cannot encode a lone surrogate
(JSON's ``\\ud800``). Either would fail the write of a whole order. Each such
character becomes U+FFFD, visibly, not dropped; the channel's original bytes
stay in the stored webhook body for anyone who needs them.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
Model = TypeVar("Model", bound=BaseModel)


def storable(text: str) -> str:
    """``text`` with every NUL and lone surrogate replaced by U+FFFD."""
    return UNSTORABLE.sub("\ufffd", text) if UNSTORABLE.search(text) else text


def storable_tree(value: Any) -> Any:
    """The same cleaning through dicts, lists and tuples (keys included); other values as they are."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {storable_tree(key): storable_tree(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(storable_tree(item) for item in value)
    return value


def storable_copy(model: Model) -> Model:
    """``model`` itself when all its text is storable, else a validated copy with the text cleaned."""
    data = model.model_dump(mode="python")
    cleaned = storable_tree(data)
    return model if cleaned == data else type(model).model_validate(cleaned)
