"""The README's "Testing your code" examples run, unchanged, as a user runs them: each block a pytest module,
with the package importable and its pytest plugin loaded (`-p <package>.pytest_plugin`: the test venv does
not install the packages, so their `pytest11` entry point is not there). Every test in them must pass.

The fixture documents run too (rendered on the fly), so a document without pages, streams or declared
errors gets a section without those examples, whose remaining examples still pass.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.generate import render_files
from generator.ir.model import all_operations
from generator.write import write_files
from tests.conftest import ROOT, VENDORS
from tests.docs.blocks import GENERATED, blocks, section, source_dir
from tests.docs.conftest import vendor_api

HEADING = "Testing your code"
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "specs").glob("*.yaml"))
_TEST = re.compile(r"^def (test_\w+)\(", re.MULTILINE)


def examples(name: str, readme: str) -> list[str]:
    found = [b.text for b in blocks(name, "README.md", section(readme, HEADING)) if b.lang == "python"]
    for text in found:  # a block that is shown is a block that runs
        assert _TEST.search(text), f"{name}: a block of {HEADING!r} has no test:\n{text}"
    return found


def run_examples(found: list[str], src: Path, import_name: str, tmp_path: Path) -> str:
    """Each block as its own test module, all run by one pytest; the tests that passed, by name."""
    for index, text in enumerate(found):
        (tmp_path / f"test_readme_{index}.py").write_text(text + "\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            f"{import_name}.pytest_plugin",
            "-p",
            "no:cacheprovider",
            "-q",
            "-rA",
            "--rootdir",
            str(tmp_path),
            str(tmp_path),
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return result.stdout


def passed(out: str) -> list[str]:
    return sorted(re.findall(r"^PASSED \S+::(test_\w+)", out, re.MULTILINE))


def declared(found: list[str]) -> list[str]:
    return sorted(name for text in found for name in _TEST.findall(text))


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_testing_example_passes_under_pytest(vendor: str, tmp_path: Path) -> None:
    readme = (GENERATED / vendor / "README.md").read_text(encoding="utf-8")
    found = examples(vendor, readme)
    api = vendor_api(vendor)
    out = run_examples(found, source_dir(vendor), api.package.import_name, tmp_path)
    names = passed(out)
    assert names == declared(found), out  # each test shown ran, and passed
    assert "test_respond_answers_with_the_fields_given" in names
    assert "test_a_call_without_a_response_fails" in names
    assert "test_iteration_reads_every_page" in names, "every vendor has a paginated list of models"
    streams = any(op.stream is not None for op in all_operations(api))
    assert ("test_the_stream_yields_every_event" in names) == streams
    assert ("### Streams" in section(readme, HEADING)) == streams


@pytest.mark.parametrize("spec", FIXTURES, ids=[spec.stem for spec in FIXTURES])
def test_the_section_of_any_document_passes(spec: Path, tmp_path: Path) -> None:
    api, files = render_files(spec, None)
    write_files(files, tmp_path / "pkg")
    readme = files["README.md"]
    mocked = [op for op in all_operations(api) if op.call.result != "socket"]
    assert (f"\n## {HEADING}\n" in readme) == bool(mocked), "a kit with nothing to mock gets no section"
    if not mocked:
        return
    found = examples(spec.stem, readme)
    (tmp_path / "run").mkdir()
    out = run_examples(found, tmp_path / "pkg" / "src", api.package.import_name, tmp_path / "run")
    assert passed(out) == declared(found), out
