"""The Wolt dialect simulator (see ``app.py``)."""
