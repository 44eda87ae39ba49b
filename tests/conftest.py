"""Shared test helpers: the repository root and a way to run `gen` as a user does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Shared, noisy machines: no per-example time limits (speed is measured by `make bench`, not by tests).
settings.register_profile("project", deadline=None, print_blob=True)
settings.load_profile("project")

ROOT = Path(__file__).resolve().parent.parent
VENDORS = ("autx", "mobius", "modulex", "modus")


def run_gen(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """Run the installed `gen` entry point in a subprocess (real argv, real exit code, real stderr)."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
