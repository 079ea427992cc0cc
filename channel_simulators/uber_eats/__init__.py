"""A simulated Uber Eats Marketplace API (OAuth2 client credentials, thin signed webhooks, 11.5-min deadline)."""
