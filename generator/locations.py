"""Where the generator's own files are: templates and the runtime copied into packages."""

from __future__ import annotations

from pathlib import Path

GENERATOR_ROOT = Path(__file__).resolve().parent
RUNTIME_DIR = GENERATOR_ROOT / "runtime"


def templates_dir() -> Path:
    """`templates/` in a checkout; the copy packaged as `generator/_templates` in an installed wheel."""
    checkout = GENERATOR_ROOT.parent / "templates"
    return checkout if checkout.is_dir() else GENERATOR_ROOT / "_templates"
