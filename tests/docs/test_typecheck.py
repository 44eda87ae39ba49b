"""Every ```python block of every generated README.md and docs/api.md type-checks with `mypy --strict`.

The blocks are written as modules into one folder and checked in a single mypy run against the generated
packages (the four vendors' and, rendered on the fly, those of the fixture specs, whose names are odder).
Errors inside the packages themselves are tests/generated's business, so imports are followed silently.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator.errors import SpecError
from generator.generate import render_files
from generator.write import write_files
from tests.conftest import ROOT, VENDORS
from tests.docs.blocks import Block, blocks, source_dir

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "specs").glob("*.yaml"))


def _fixture_blocks(out: Path) -> tuple[list[Block], list[Path]]:
    found, sources = [], []
    for spec in FIXTURES:
        try:
            _, files = render_files(spec, None)
        except SpecError:  # a fixture the package renderer cannot handle yet is not a docs matter
            continue
        (out / spec.stem).mkdir(parents=True)
        write_files(files, out / spec.stem)
        sources.append(out / spec.stem / "src")
        for doc in ("README.md", "docs/api.md"):
            found += blocks(f"fixture-{spec.stem}", doc, files[doc])
    return found, sources


def test_every_python_example_type_checks(tmp_path: Path) -> None:
    fixture_blocks, fixture_sources = _fixture_blocks(tmp_path / "fixtures")
    vendor_blocks = [b for v in VENDORS for doc in ("README.md", "docs/api.md") for b in blocks(v, doc)]
    examples = tmp_path / "examples"
    examples.mkdir()
    by_module: dict[str, Block] = {}
    for block in vendor_blocks + fixture_blocks:
        if block.lang != "python":
            continue
        module = f"ex_{block.vendor}_{block.doc}_{block.index:04d}".replace("-", "_").replace("/", "_")
        module = module.replace(".", "_")
        (examples / f"{module}.py").write_text(block.text + "\n", encoding="utf-8")
        by_module[module] = block
    assert len(by_module) > 800
    # among them, each vendor's "Testing your code" examples: pytest modules using `<package>.testing`
    kit_examples = {b.vendor for b in by_module.values() if ".testing import Mock" in b.text}
    assert kit_examples >= set(VENDORS)
    paths = [source_dir(v).resolve() for v in VENDORS] + fixture_sources
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--follow-imports=silent",
            "--cache-dir",
            str(tmp_path / "c"),
            ".",
        ],
        cwd=examples,
        env={**os.environ, "MYPYPATH": os.pathsep.join(map(str, paths))},
        capture_output=True,
        text=True,
        check=False,
    )
    problems = []
    for line in result.stdout.splitlines():
        module = line.split(".py:", 1)[0]
        if module in by_module:
            block = by_module[module]
            problems.append(f"{block.where} (block {block.index}): {line.split(':', 2)[-1].strip()}")
        elif ": error:" in line:
            problems.append(line)
    assert result.returncode == 0 and not problems, "\n".join(problems) or result.stdout[-3000:]
    assert f"Success: no issues found in {len(by_module)} source files" in result.stdout
