"""Celery tasks for the outbox (thin: load a row, call a service)."""
