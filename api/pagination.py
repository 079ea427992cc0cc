"""Cursor pagination: stable pages while new orders keep arriving."""

from __future__ import annotations

from typing import Any

from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination


class OrderCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-placed_at", "-id")

    def get_ordering(self, request, queryset, view):
        # Polling with `since` reads changes oldest first, so the POS can keep the last `updated_at` it saw.
        if request.query_params.get("since"):
            return ("updated_at", "id")
        return self.ordering

    def decode_cursor(self, request: Any) -> Cursor | None:
        """DRF's decoding, plus a position that must be an instant: both orderings start with a timestamp.

        A crafted cursor (NUL, an impossible date, a surrogate) would otherwise reach the query and fail there.
        """
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        try:
            valid = "\x00" not in cursor.position and parse_datetime(cursor.position) is not None
        except (ValueError, OverflowError):
            valid = False
        if not valid:
            raise NotFound(self.invalid_cursor_message)
        return cursor
