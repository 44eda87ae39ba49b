"""`gen ir`: the IR as JSON, the same bytes on every run whatever the hash seed."""

from __future__ import annotations

import json

import pytest

from tests.conftest import VENDORS, run_gen


@pytest.mark.parametrize("vendor", VENDORS)
def test_ir_is_deterministic_across_hash_seeds(vendor: str) -> None:
    first = run_gen("ir", vendor, env={"PYTHONHASHSEED": "1"})
    second = run_gen("ir", vendor, env={"PYTHONHASHSEED": "4242"})
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["package"]["import_name"] == f"{vendor}_typed"


def test_ir_of_any_spec_path() -> None:
    result = run_gen("ir", "--spec", "tests/fixtures/specs/pagination.yaml")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "Paging"


def test_vendor_and_spec_are_exclusive() -> None:
    result = run_gen("ir", "autx", "--spec", "tests/fixtures/specs/pagination.yaml")
    assert result.returncode == 2
    assert result.stderr == "error: give either VENDOR or --spec PATH\n"
