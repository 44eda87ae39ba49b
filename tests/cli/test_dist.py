"""`make dist`: a wheel and an sdist per generated package, accepted by `twine check --strict`, and each wheel
installs into a fresh virtual environment and imports, at the version gen.toml names."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = sorted(p.parent.name for p in (ROOT / "generated").glob("*/pyproject.toml"))


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, args))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


def _config(vendor: str) -> dict[str, str]:
    data = tomllib.loads((ROOT / "specs" / vendor / "gen.toml").read_text(encoding="utf-8"))
    package: dict[str, str] = data["package"]
    return package


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make dist` into a temporary folder (`-o`: no reinstall of .venv when pyproject.toml is newer)."""
    out = tmp_path_factory.mktemp("dist")
    result = _run("make", "--no-print-directory", "-o", ".venv/.installed", "dist", f"DIST={out}", cwd=ROOT)
    assert result.stdout.count("PASSED") == 2 * len(PACKAGES), result.stdout
    return out


def test_there_are_packages() -> None:
    assert PACKAGES, "generated/ holds no package: run `make gen`"


def test_a_wheel_and_an_sdist_per_package(dist: Path) -> None:
    assert sorted(p.name for p in dist.iterdir()) == PACKAGES
    for vendor in PACKAGES:
        stem = f"{_config(vendor)['import_name']}-{_config(vendor)['version']}"
        assert sorted(p.name for p in (dist / vendor).iterdir()) == [
            f"{stem}-py3-none-any.whl",
            f"{stem}.tar.gz",
        ]


def test_twine_check_strict(dist: Path) -> None:
    files = sorted(str(p) for p in dist.glob("*/*"))
    result = _run(sys.executable, "-m", "twine", "check", "--strict", *files)
    assert result.stdout.count("PASSED") == len(files)


def test_each_wheel_installs_and_imports_in_a_fresh_environment(dist: Path, tmp_path: Path) -> None:
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", *sorted(dist.glob("*/*.whl")))
    for vendor in PACKAGES:
        config = _config(vendor)
        names = (config["client_class"], "Async" + config["client_class"])
        shown = ", ".join(f"p.{name}.__name__" for name in names)
        code = f"import {config['import_name']} as p; print(p.__version__, {shown})"
        assert _run(python, "-c", code, cwd=tmp_path).stdout.split() == [config["version"], *names]
