"""The generated clients, installed from their wheels, against vendor simulators on 127.0.0.1.

Each scenario file of scenarios/ runs in its own pytest process inside the fresh virtual environment
(wheels + pytest, starlette, uvicorn), from a copy of the folder outside the repository, so the package
under test is the installed wheel and nothing of the source tree is importable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCENARIOS = Path(__file__).with_name("scenarios")
INI = "[pytest]\naddopts = -ra --strict-markers -p no:cacheprovider\n"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("e2e") / "scenarios"
    shutil.copytree(SCENARIOS, target, ignore=shutil.ignore_patterns("__pycache__"))
    (target / "pytest.ini").write_text(INI, encoding="utf-8")
    return target


@pytest.mark.parametrize("scenario", sorted(p.name for p in SCENARIOS.glob("test_*.py")))
def test_scenario(user_python: Path, workdir: Path, scenario: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST", "VIRTUAL_ENV"))}
    result = subprocess.run(
        [str(user_python), "-m", "pytest", scenario, "-q"],
        cwd=workdir,
        env={**env, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    print(result.stdout[-2000:])
    assert result.returncode == 0, (
        f"{scenario} failed inside the fresh environment:\n{result.stdout[-20000:]}{result.stderr[-3000:]}"
    )
    summary = result.stdout.strip().splitlines()[-1]
    assert "passed" in summary and not any(word in summary for word in ("skipped", "xfail", "deselected")), (
        summary
    )
