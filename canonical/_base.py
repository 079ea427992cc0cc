"""Shared pydantic configuration and aware-UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict


def _aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetime must carry a timezone (naive datetimes are ambiguous)")
    return value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_aware_utc)]


class Canonical(BaseModel):
    """Base for canonical types: immutable, unknown fields rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")
