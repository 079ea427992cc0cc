"""The Glovo Partners API module (see ``module.py`` for the documentation it was written from)."""
