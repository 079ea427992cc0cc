"""The Deliveroo module (Order, Menu and Site APIs; see ``module.py`` for the documentation it was written from)."""
