"""Format a rendered file map with ruff (format, then the safe import fixes), all files in one run."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import SpecError

_FIX_RULES = "I,F401"


def ruff_command() -> list[str]:
    return [sys.executable, "-m", "ruff"]


def format_files(files: dict[str, str]) -> dict[str, str]:
    """The same files, ruff-formatted and with imports sorted; non-Python files pass through."""
    python = {path: text for path, text in files.items() if path.endswith(".py")}
    if not python:
        return dict(files)
    with tempfile.TemporaryDirectory(prefix="gen-format-") as tmp:
        root = Path(tmp)
        config = root / "ruff.toml"
        config.write_text('line-length = 110\ntarget-version = "py311"\n', encoding="utf-8")
        for path, text in python.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        base = [*ruff_command(), "--config", str(config)]
        for args in (
            ["check", "--fix", "--quiet", "--select", _FIX_RULES, "--exit-zero", "."],
            ["format", "."],
        ):
            cmd = [base[0], base[1], base[2], args[0], "--config", str(config), *args[1:]]
            result = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                errors = [line for line in (result.stderr + result.stdout).splitlines() if "rror" in line]
                raise SpecError(f"ruff could not format the generated code: {errors[0] if errors else 'unknown'}")
        formatted = dict(files)
        for path in python:
            formatted[path] = (root / path).read_text(encoding="utf-8")
    return formatted
