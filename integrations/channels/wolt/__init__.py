"""The Wolt Marketplace module (see ``module.py`` for the documentation it was written from)."""
