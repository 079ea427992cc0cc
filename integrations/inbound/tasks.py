"""Celery tasks for inbound processing (thin: load a row, call a service)."""
