"""The kit as a user gets it: `pip install` of one generated package (Modus) into a fresh environment,
and a test file of theirs using the `modus_typed_mock` fixture with no conftest, run by its pytest.

The fixture comes from the package's `pytest11` entry point alone; the user's folder lies outside the
repository and nothing of the source tree is on the path.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.userenv import fresh_env, pinned

USER_TESTS = """
from modus_typed import Modus
from modus_typed.models.agent import Agent
from modus_typed.models.run_event import RunEventDone, RunEventToken
from modus_typed.testing import MockModus, fake


def reply(client: Modus, run_id: str) -> str:
    return "".join(e.content for e in client.runs.stream(run_id=run_id) if isinstance(e, RunEventToken))


def test_pages_through_the_fixture(modus_typed_mock: MockModus):
    modus_typed_mock.agents.list.respond_pages([fake(Agent, name="a")], [fake(Agent, name="b")])
    names = [agent.name for agent in modus_typed_mock.client().agents.list()]
    assert names == ["a", "b"]
    assert [c.params.get("pageToken") for c in modus_typed_mock.agents.list.calls] == [None, "page-1"]


def test_a_fresh_mock_per_test_and_a_resumed_stream(modus_typed_mock: MockModus):
    assert modus_typed_mock.requests == []
    events = [fake(RunEventToken, content=c) for c in "hi"] + [fake(RunEventDone, run_id="r1")]
    modus_typed_mock.runs.stream.respond_events(*events, drop_after=1)
    assert reply(modus_typed_mock.client(), "r1") == "hi"
    assert modus_typed_mock.runs.stream.calls[1].headers["last-event-id"] == "1"
"""

# A session of tests that never ask for the kit: the plugin is there, the kit is not imported.
OTHER_TESTS = """
import sys


def test_the_plugin_is_registered_and_the_kit_not_imported(request):
    assert request.config.pluginmanager.has_plugin("modus_typed")
    kit = ("modus_typed.testing", "modus_typed._runtime._testing")
    assert not [name for name in sys.modules if name.startswith(kit)]
"""


@pytest.fixture(scope="module")
def user_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment holding `pip install generated/modus` (built, not editable) and pytest."""
    return fresh_env(tmp_path_factory.mktemp("kit-venv"), ROOT / "generated" / "modus", *pinned(("pytest",)))


def _pytest(python: Path, folder: Path, source: str) -> subprocess.CompletedProcess[str]:
    (folder / "test_user.py").write_text(source, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST", "VIRTUAL_ENV"))}
    return subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"],
        cwd=folder,
        env={**env, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_the_installed_package_gives_user_tests_its_fixture(user_python: Path, tmp_path: Path) -> None:
    result = _pytest(user_python, tmp_path, USER_TESTS)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert "2 passed" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["test_user.py"]  # no conftest, no set-up


def test_a_session_not_using_the_fixture_does_not_import_the_kit(user_python: Path, tmp_path: Path) -> None:
    result = _pytest(user_python, tmp_path, OTHER_TESTS)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout


def test_the_package_is_installed_not_linked(user_python: Path, tmp_path: Path) -> None:
    code = "import modus_typed, pathlib; print(pathlib.Path(modus_typed.__file__).resolve())"
    where = subprocess.run(
        [str(user_python), "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert "site-packages" in where and not where.startswith(str(ROOT))
