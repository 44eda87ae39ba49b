"""The end line of `gen generate`: operations in the document against methods in the code written.

The two numbers are counted apart (one on the document, one on the rendered methods), so an operation the
generator loses on the way shows as fewer methods than operations.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import generator.parse
from generator.generate import generate_spec
from generator.load import load
from generator.pipeline import operation_count
from tests.conftest import ROOT, run_gen

SPECS = ROOT / "tests" / "fixtures" / "specs"
HTTP_METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}


def _declared(spec: Path) -> int:
    paths = yaml.safe_load(spec.read_text(encoding="utf-8"))["paths"]
    return sum(1 for item in paths.values() for key in item if key in HTTP_METHODS)


@pytest.mark.parametrize("spec", ["realtime.yaml", "pagination.yaml", "uploads.yaml"])
def test_every_operation_of_the_document_has_a_method(spec: str, tmp_path: Path) -> None:
    # realtime.yaml has a WebSocket operation and webhook checks: a method, and no operation
    result = run_gen("generate", "--spec", str(SPECS / spec), "--out", str(tmp_path / "pkg"))
    assert result.returncode == 0, result.stderr
    declared = _declared(SPECS / spec)
    assert f"operations: {declared}/{declared} generated" in result.stdout


def test_an_operation_lost_before_rendering_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parse_operations = generator.parse.parse_operations
    monkeypatch.setattr(generator.parse, "parse_operations", lambda *args: parse_operations(*args)[1:])
    monkeypatch.setenv("GEN_JOBS", "1")
    spec = SPECS / "pagination.yaml"
    outcome = generate_spec(spec, tmp_path / "pkg", None)
    assert (outcome.methods, outcome.operations) == (_declared(spec) - 1, _declared(spec))


def test_path_items_by_reference_count_their_operations(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        """
openapi: 3.1.0
info: {title: Refs, version: "1"}
paths:
  /a: {$ref: "#/components/pathItems/Both"}
  /b:
    get: {operationId: getB, responses: {"204": {description: none}}}
    parameters: []
components:
  pathItems:
    Both:
      get: {operationId: getA, responses: {"204": {description: none}}}
      delete: {operationId: deleteA, responses: {"204": {description: none}}}
""",
        encoding="utf-8",
    )
    assert operation_count(load(spec, validate_schema=False)) == 3
