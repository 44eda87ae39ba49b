"""A fresh virtual environment with the four generated packages installed from their wheels, as users do."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT, VENDORS


def _run(*args: str | Path, cwd: Path | None = None) -> None:
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, args))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )


@pytest.fixture(scope="session")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One wheel per vendor, built from generated/<vendor> with the standard build frontend."""
    out = tmp_path_factory.mktemp("wheels")
    built = {}
    for vendor in VENDORS:
        _run(sys.executable, "-m", "build", "--wheel", "--outdir", out / vendor, ROOT / "generated" / vendor)
        built[vendor] = next((out / vendor).glob("*.whl"))
    return built


@pytest.fixture(scope="session")
def user_python(tmp_path_factory: pytest.TempPathFactory, wheels: dict[str, Path]) -> Path:
    """The python of a new virtual environment with the wheels (and their dependencies) installed."""
    env = tmp_path_factory.mktemp("user-venv")
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", *wheels.values())
    return python
