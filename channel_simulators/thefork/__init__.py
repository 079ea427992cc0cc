"""A simulated TheFork B2B API (Auth0 client credentials, thin event webhooks, reservations and their customers)."""
