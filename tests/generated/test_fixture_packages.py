"""Every one-construct fixture spec renders into a package that imports (its test kit too) and passes
`mypy --strict`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.generate import write_package
from generator.pipeline import build_ir
from tests.conftest import ROOT
from tests.support.kit import KIT_IMPORT

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "specs").glob("*.yaml"))


@pytest.mark.parametrize("spec", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture_package_imports_and_type_checks(spec: Path, tmp_path: Path) -> None:
    package = f"{spec.stem}_pkg"
    write_package(build_ir(spec, package=package), "{}\n", None, tmp_path)
    src = tmp_path / "src"
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import {package}, {package}.models as m; [getattr(m, n) for n in m.__all__]",
        ],
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr[-2000:]
    kit = subprocess.run(
        [sys.executable, "-c", KIT_IMPORT, package],
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert kit.returncode == 0, kit.stderr[-2000:]
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", os.devnull, "-p", package],
        cwd=src,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout[-3000:]
