"""A clock a test moves by hand, to replace a module's ``_clock`` seam instead of sleeping."""

from __future__ import annotations


class ManualClock:
    """Callable like ``time.time`` / ``time.monotonic``; time passes only through ``advance``."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
