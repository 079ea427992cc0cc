"""Inbound: webhooks in, stored first, processed by workers, reconciled when lost."""
