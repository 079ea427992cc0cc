"""A simulated Glovo Partners API (static token, full-order webhooks, menu upload transactions)."""
