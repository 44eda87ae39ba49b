"""Format rendered Python with ruff (the safe import fixes, then the formatter), a whole tree per run."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from ..errors import SpecError
from ..write import write_files

# Flags rather than a config file, so nothing is left in the tree and the package's own
# pyproject.toml (same settings) is not needed yet.
_SETTINGS = ["--line-length", "110", "--target-version", "py311", "--no-cache"]
_STEPS = (
    ["check", "--fix", "--quiet", "--select", "I,F401", "--exit-zero", *_SETTINGS],
    ["format", *_SETTINGS],
)


def format_tree(root: Path, paths: Sequence[str] = (".",)) -> None:
    """Format every Python file under `root` in place, or those at `paths` (files or folders) under it."""
    for step in _STEPS:
        result = subprocess.run(
            [ruff_path(), *step, "--", *paths],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            errors = [line for line in (result.stderr + result.stdout).splitlines() if "rror" in line]
            detail = errors[0] if errors else "unknown"
            raise SpecError(f"ruff could not format the generated code: {detail}")


@cache
def ruff_path() -> str:
    """The ruff executable installed with gen, run directly (`python -m ruff` starts a Python first)."""
    from ruff import find_ruff_bin  # type: ignore[import-untyped]

    return str(find_ruff_bin())


def format_files(files: dict[str, str]) -> dict[str, str]:
    """The same files, formatted; non-Python files pass through. For comparing without writing."""
    python = {path: text for path, text in files.items() if path.endswith(".py")}
    if not python:
        return dict(files)
    with tempfile.TemporaryDirectory(prefix="gen-format-") as tmp:
        root = Path(tmp)
        write_files(python, root)
        format_tree(root)
        return {
            path: (root / path).read_text(encoding="utf-8") if path in python else text
            for path, text in files.items()
        }
