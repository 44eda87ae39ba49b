"""Where the generator's own files are: templates and the runtime copied into packages."""

from __future__ import annotations

import os
from pathlib import Path

GENERATOR_ROOT = Path(__file__).resolve().parent
RUNTIME_DIR = GENERATOR_ROOT / "runtime"


def templates_dir() -> Path:
    """`templates/` in a checkout; the copy packaged as `generator/_templates` in an installed wheel."""
    checkout = GENERATOR_ROOT.parent / "templates"
    return checkout if checkout.is_dir() else GENERATOR_ROOT / "_templates"


def cache_dir(kind: str) -> Path | None:
    """A folder for the generator's own compiled artefacts (`$GEN_CACHE_DIR`, else the user's cache).

    None when it cannot be created: everything still works, only slower. Never holds anything derived
    from a spec, so it is safe to share and to delete.
    """
    root = os.environ.get("GEN_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "gen-openapi-python"
    )
    folder = Path(root) / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None
