"""Validation runs: exercise each feature a module declares against a connection's sandbox and record results.

``run_validation(connection)`` runs synchronously (``manage.py validate_connection``);
the admin action starts ``start_run`` + the Celery task ``run_validation_task``.
"""
