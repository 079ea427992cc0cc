"""Outbound: the outbox of work that must reach channels, its runner, retries and catalog diffs."""
