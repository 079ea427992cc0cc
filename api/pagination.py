"""Cursor pagination: stable pages while new orders keep arriving."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


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
