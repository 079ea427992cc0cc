"""Validation runs: exercise each feature a module declares against a connection's sandbox and record results.

``run_validation(connection)`` runs synchronously (``manage.py validate_connection``);
the admin action calls ``starting.start_validation``: the run row, then its task by name after commit.
"""
