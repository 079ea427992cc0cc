"""The floor: a view that only inserts the raw body into one table (bench settings only)."""
