"""Generation on several cores: the same packages and the same errors as one core gives, in the same order."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import background
from generator.background import Background, in_parallel, jobs
from generator.errors import SpecError
from generator.write import read_tree
from tests.conftest import ROOT, run_gen

forks = pytest.mark.skipif(sys.platform != "linux", reason="work runs in child processes on Linux only")


@pytest.fixture
def two_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEN_JOBS", "2")


def _fail(message: str) -> int:
    raise SpecError(message, file="spec.yaml", at="/paths")


@forks
def test_tasks_run_in_other_processes_and_come_back_in_order(two_jobs: None) -> None:
    assert jobs() == 2

    def slow_pid() -> int:
        time.sleep(0.3)
        return os.getpid()

    pids = in_parallel([slow_pid] * 4, [4, 3, 2, 1])
    assert len(set(pids)) == 2
    assert os.getpid() in pids
    squares = in_parallel([lambda n=n: n * n for n in range(7)], [1] * 7)
    assert squares == [n * n for n in range(7)]


@forks
def test_a_free_process_takes_the_next_task(two_jobs: None) -> None:
    """One long task and three short ones: the short ones all go to the other process."""

    def task(seconds: float) -> int:
        time.sleep(seconds)
        return os.getpid()

    pids = in_parallel(
        [lambda: task(1.0), lambda: task(0.1), lambda: task(0.1), lambda: task(0.1)], [4, 1, 1, 1]
    )
    assert pids[1] == pids[2] == pids[3] != pids[0]


@forks
def test_every_task_runs_and_the_first_failure_in_task_order_is_raised(
    two_jobs: None, tmp_path: Path
) -> None:
    def touch(name: str) -> int:
        (tmp_path / name).write_text("ran", encoding="utf-8")
        return 0

    tasks = [
        lambda: touch("a"),
        lambda: _fail("first"),
        lambda: touch("c"),
        lambda: _fail("second"),
        lambda: touch("e"),
    ]
    with pytest.raises(SpecError) as caught:
        in_parallel(tasks, [1, 1, 1, 1, 1])
    assert str(caught.value) == "spec.yaml#/paths: first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "c", "e"]


@forks
def test_a_child_starts_no_children_of_its_own(two_jobs: None) -> None:
    assert Background(jobs).result() == 1
    assert Background(lambda: Background(os.getpid).result()).result() != os.getpid()
    with background.serially():
        assert jobs() == 1
        assert Background(os.getpid).result() == os.getpid()
    assert jobs() == 2


@forks
def test_stopping_a_background_task_ends_its_process(two_jobs: None) -> None:
    with Background(lambda: time.sleep(60)) as task:
        process = task._process
        assert process is not None and process.is_alive()
    assert not process.is_alive()


def test_one_job_runs_everything_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEN_JOBS", "1")
    assert in_parallel([os.getpid] * 3, [1, 1, 1]) == [os.getpid()] * 3
    with pytest.raises(SpecError, match="first"):
        Background(lambda: _fail("first")).result()


def test_one_core_and_many_generate_the_same_packages(tmp_path: Path) -> None:
    for jobs_setting in ("1", "2"):
        result = run_gen("generate", "--out", str(tmp_path / jobs_setting), env={"GEN_JOBS": jobs_setting})
        assert result.returncode == 0, result.stderr
    serial, parallel = read_tree(tmp_path / "1"), read_tree(tmp_path / "2")
    assert serial.keys() == parallel.keys()
    assert [path for path in serial if serial[path] != parallel[path]] == []


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("openapi: 3.1.0\ninfo: {title: x}\npaths: []\n", "#/"),  # read, then refused by validation
        ("openapi: 3.1.0\ninfo: [\n", ": invalid YAML at line 3"),  # cannot be read at all
    ],
)
def test_a_broken_vendor_fails_alone_and_the_others_are_written(
    tmp_path: Path, text: str, where: str
) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(ROOT / "specs", specs)
    (specs / "modus" / "openapi.yaml").write_text(text)
    result = run_gen("generate", "--specs", str(specs), "--out", str(tmp_path / "out"), env={"GEN_JOBS": "2"})
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {specs / 'modus' / 'openapi.yaml'}{where}")
    assert len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["autx", "mobius", "modulex"]


def _gone(pid: int) -> bool:
    """The process has ended (a zombie nobody has reaped yet counts as ended)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return status.rsplit(")", 1)[1].split()[0] == "Z"


@forks
def test_a_child_dies_with_its_killed_parent() -> None:
    script = (
        "import time\n"
        "from generator.background import Background\n"
        "child = Background(lambda: time.sleep(60))\n"
        "print(child._process.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "GEN_JOBS": "2"},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 30  # a bound, not a speed check
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(child)


def test_the_next_run_removes_the_folders_of_a_killed_run(tmp_path: Path) -> None:
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead, alive = int(ended.stdout), os.getpid()
    for folder in (
        f".autx.new-{dead}-a1",
        f".autx.old-{dead}-b2",
        f".autx.new-{alive}-c3",
        f".other.new-{dead}-d4",
    ):
        (tmp_path / folder / "src").mkdir(parents=True)
    spec = ROOT / "specs" / "autx" / "openapi.yaml"
    result = run_gen("generate", "--spec", str(spec), "--out", str(tmp_path / "autx"), "--package", "autx")
    assert result.returncode == 0, result.stderr
    # the killed run's folders went; a running one's and another package's stay
    assert {p.name for p in tmp_path.iterdir()} == {"autx", f".autx.new-{alive}-c3", f".other.new-{dead}-d4"}
