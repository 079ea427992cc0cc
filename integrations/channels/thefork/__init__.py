"""TheFork (TheFork Manager B2B API): reservations, fetched on thin webhooks."""
