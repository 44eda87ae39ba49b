"""A fresh virtual environment with the four generated wheels installed, as a user installs them.

The end-to-end scenarios and the contract runner execute in it, so the code under test is the installed
wheel and never the source tree. It also gets pytest, starlette and uvicorn (pinned to the versions of the
project's own environment) to run the scenarios and the vendor simulators. Built once per test session,
whichever of `tests/e2e` and `tests/contract` asks first.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT, VENDORS

TOOLS = ("pytest", "starlette", "uvicorn", "anyio")
_BUILT: dict[str, Path] = {}


def run(*args: str | Path, cwd: Path | None = None, timeout: float = 600) -> str:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False, timeout=timeout
    )
    if result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def user_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a venv holding the four wheels (built from generated/) and the test tools."""
    if "python" in _BUILT:
        return _BUILT["python"]
    wheels = tmp_path_factory.mktemp("e2e-wheels")
    builds = {
        vendor: subprocess.Popen(
            [
                sys.executable,
                "-m",
                "build",
                "--wheel",
                "--outdir",
                str(wheels),
                str(ROOT / "generated" / vendor),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for vendor in VENDORS
    }
    for vendor, build in builds.items():
        output, _ = build.communicate(timeout=600)
        if build.returncode != 0:
            pytest.fail(f"building the {vendor} wheel failed:\n{output[-3000:]}")
    python = fresh_env(tmp_path_factory.mktemp("e2e-venv"), *sorted(wheels.glob("*.whl")), *pinned(TOOLS))
    _BUILT["python"] = python
    return python


def pinned(names: tuple[str, ...]) -> list[str]:
    """Requirements for ``names`` at the versions of the project's own environment."""
    return [f"{name}=={importlib.metadata.version(name)}" for name in names]


def fresh_env(env: Path, *requirements: str | Path) -> Path:
    """The python of a new virtual environment at ``env`` holding ``requirements`` (pip arguments)."""
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / "bin" / "python"
    # the project's pip installs into the new environment (`--python`), as `python -m pip` there would
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--quiet",
        "--disable-pip-version-check",
        *requirements,
    )
    return python
