"""One problem of a manifest: where it is, what is wrong, what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str
    fix: str = ""

    def describe(self, filename: str = "manifest") -> str:
        where = f"{filename}:{self.line}" if self.line else filename
        return f"{where}: {self.message}" + (f" (fix: {self.fix})" if self.fix else "")
