"""Bad input: one line on stderr naming the file and the JSON pointer, exit code 2, no traceback."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, run_gen

BROKEN = sorted((ROOT / "tests" / "fixtures" / "broken").glob("*.yaml"))


@pytest.mark.parametrize("spec", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_spec_is_one_located_line(spec, snapshot) -> None:  # type: ignore[no-untyped-def]
    relative = spec.relative_to(ROOT).as_posix()
    result = run_gen("ir", "--spec", relative)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {relative}")
    assert "Traceback" not in result.stderr
    assert lines[0] == snapshot


def test_keyword_package_name_in_gen_toml(snapshot) -> None:  # type: ignore[no-untyped-def]
    result = run_gen("ir", "keyword_package", "--specs", "tests/fixtures/broken")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: tests/fixtures/broken/keyword_package/gen.toml#/package/import_name: "
        "import name 'class' is not a usable Python module name"
    ]


def test_keyword_package_name_on_the_command_line() -> None:
    result = run_gen("ir", "--spec", "tests/fixtures/specs/unions.yaml", "--package", "lambda")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: --package: import name 'lambda' is not a usable Python module name"
    ]


def test_unknown_vendor_names_the_known_ones() -> None:
    result = run_gen("ir", "nosuchvendor")
    assert result.returncode == 2
    assert result.stderr.startswith("error: specs/nosuchvendor: no vendor 'nosuchvendor' (known: ")


def test_missing_file() -> None:
    result = run_gen("ir", "--spec", "does/not/exist.yaml")
    assert (result.returncode, result.stderr) == (2, "error: does/not/exist.yaml: no such file\n")
