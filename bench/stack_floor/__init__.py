"""The stack's floor: a minimal Django app on the same server and database (bench only).

Only ``CommonMiddleware``, one app, one URL and one ORM insert: what Django,
gunicorn and PostgreSQL cost on this machine before any of our code, so the
ingest bench can say how much of the gap to the raw-insert floor is the stack's.
"""
