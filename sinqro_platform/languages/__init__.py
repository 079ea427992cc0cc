"""Which language a person (or a restaurant's POS) reads Sinqro in: stored per user and per restaurant."""
