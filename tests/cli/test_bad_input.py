"""Bad input: one line on stderr naming the file and the JSON pointer, exit code 2, no traceback."""

from __future__ import annotations

import dataclasses

import pytest

from generator.config import package_from
from generator.errors import SpecError
from generator.ir.model import DEFAULT_RETRY_STATUSES
from generator.pipeline import build_ir
from generator.render import render_package
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


@pytest.mark.parametrize(
    ("client", "pointer", "words"),
    [
        ({"retry_statuses": [429, 200]}, "/client/retry_statuses/1", "only HTTP error statuses"),
        ({"retry_statuses": "503"}, "/client/retry_statuses", "must be a list"),
        ({"retry_statuses": [True]}, "/client/retry_statuses/0", "only HTTP error statuses"),
        ({"max_retries": -1}, "/client/max_retries", "an integer of at least 0"),
        ({"max_retries": 2.5}, "/client/max_retries", "an integer of at least 0"),
        ({"timeout": "soon"}, "/client/timeout", "a number of at least 0"),
    ],
)
def test_bad_client_settings_in_gen_toml_name_their_key(
    client: dict[str, object], pointer: str, words: str
) -> None:
    with pytest.raises(SpecError) as info:
        package_from({"client": client}, "Thing API")
    assert info.value.at == pointer and words in info.value.message


@pytest.mark.parametrize("version", ['1.0" evil', "v1.0", "1.0.0-beta", "01.2", "1.0+local", "", "1..0"])
def test_a_version_pyproject_cannot_carry_is_refused_at_its_key(version: str) -> None:
    with pytest.raises(SpecError) as info:
        package_from({"package": {"version": version}}, "Thing API")
    assert info.value.at == "/package/version" and "PEP 440" in info.value.message


@pytest.mark.parametrize("version", ["0.1.0", "2", "1.2.3rc1", "1.0.post2", "1.0.dev0", "1!2.0", "10.2a4"])
def test_normalized_versions_are_accepted(version: str) -> None:
    assert package_from({"package": {"version": version}}, "Thing API").version == version


def test_retry_statuses_from_gen_toml_reach_the_client_spec() -> None:
    package = package_from({"client": {"retry_statuses": [503, 429, 503]}}, "Thing API")
    assert package.retry_statuses == (429, 503)
    assert package_from({}, "Thing API").retry_statuses == DEFAULT_RETRY_STATUSES


def test_retry_statuses_are_generated_into_the_client_and_its_readme() -> None:
    api = build_ir(ROOT / "tests" / "fixtures" / "specs" / "pagination.yaml")
    declared = dataclasses.replace(api, package=dataclasses.replace(api.package, retry_statuses=(409, 503)))
    files = render_package(declared)
    client = next(text for path, text in files.items() if path.endswith("/_client.py"))
    assert "retry_statuses=frozenset({409, 503})" in client
    assert "a response with status `409` and `503`" in files["README.md"]
    default_client = next(text for path, text in render_package(api).items() if path.endswith("/_client.py"))
    assert "retry_statuses" not in default_client
