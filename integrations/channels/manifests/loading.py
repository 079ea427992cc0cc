"""Reading a manifest file: YAML with lines, every problem found, then the module class."""

from __future__ import annotations

from pathlib import Path

from .build import ManifestModule, build_module
from .problems import Problem
from .validate import problems_of
from .yaml_lines import LinedDocument, ManifestSyntaxError, load_lined


class ManifestInvalid(ValueError):
    """A manifest with problems: never built, never registered. ``problems`` each name a line and the fix."""

    def __init__(self, path: Path | str, problems: list[Problem]) -> None:
        self.path = Path(path)
        self.problems = problems
        super().__init__(f"{path}: {len(problems)} problem(s)\n" + "\n".join(
            f"  {problem.describe(self.path.name)}" for problem in problems))


def read_document(path: Path) -> LinedDocument:
    try:
        return load_lined(path.read_text(encoding="utf-8"))
    except ManifestSyntaxError as exc:
        raise ManifestInvalid(path, [Problem(exc.line, str(exc), "fix the YAML syntax")]) from None


def manifest_problems(path: Path | str) -> list[Problem]:
    """Every problem of the manifest at ``path`` (empty: it can be built)."""
    path = Path(path)
    try:
        document = read_document(path)
    except ManifestInvalid as exc:
        return exc.problems
    return problems_of(document, path)


def load_manifest(path: Path | str) -> type[ManifestModule]:
    """The module class of the manifest at ``path``; ``ManifestInvalid`` with every problem otherwise."""
    path = Path(path).resolve()
    document = read_document(path)
    problems = problems_of(document, path)
    if problems:
        raise ManifestInvalid(path, problems)
    return build_module(document.data, path)
