"""How the corpus harness picks its documents (CORPUS_SPECS, CORPUS_SIZE, CORPUS_SHARD); no network."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ROOT
from tests.corpus.selection import (
    DEFAULT_SAMPLE_SIZE,
    Document,
    SelectionError,
    parse_shard,
    parse_size,
    select,
    shard,
    unique_ids,
)

FIXTURES = ROOT / "tests" / "fixtures" / "specs"


def fake_sample(size: int) -> list[Document]:
    return [(f"doc{i}", Path(f"doc{i}.json")) for i in range(size)]


@given(items=st.integers(min_value=0, max_value=60), n=st.integers(min_value=1, max_value=12))
def test_shards_are_disjoint_and_cover_the_list_in_order(items: int, n: int) -> None:
    documents = list(range(items))
    shards = [shard(documents, k, n) for k in range(1, n + 1)]
    assert sorted(d for part in shards for d in part) == documents
    for part in shards:
        assert part == sorted(part)
        assert len(part) in (items // n, items // n + 1)  # balanced: sizes differ by one at most


@pytest.mark.parametrize(("value", "expected"), [("1/1", (1, 1)), ("3/4", (3, 4)), (" 2 / 10 ", (2, 10))])
def test_shard_values_parse(value: str, expected: tuple[int, int]) -> None:
    assert parse_shard(value) == expected


@pytest.mark.parametrize("value", ["", "2", "1/", "/2", "a/b", "1/2/3", "-1/2", "1.5/2", "0/3", "4/3", "1/0"])
def test_malformed_shard_is_a_one_line_error_naming_the_variable(value: str) -> None:
    with pytest.raises(SelectionError) as raised:
        parse_shard(value)
    assert str(raised.value).startswith(f"CORPUS_SHARD={value!r}")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("value", ["", "0", "-3", "ten", "4.5"])
def test_malformed_size_is_an_error(value: str) -> None:
    with pytest.raises(SelectionError, match=r"^CORPUS_SIZE="):
        parse_size(value)


def test_ids_are_file_names_made_unique() -> None:
    paths = [Path("a/openapi.yaml"), Path("b/openapi.json"), Path("stripe.json"), Path("openapi-2.yaml")]
    paths.append(Path("c/openapi.yaml"))
    assert unique_ids(paths) == ["openapi", "openapi-3", "stripe", "openapi-2", "openapi-4"]


def test_without_variables_the_default_sample_runs_whole() -> None:
    assert select({}, fake_sample) == fake_sample(DEFAULT_SAMPLE_SIZE)


def test_size_and_shard_apply_to_the_sample() -> None:
    chosen = select({"CORPUS_SIZE": "7", "CORPUS_SHARD": "2/3"}, fake_sample)
    assert [name for name, _ in chosen] == ["doc1", "doc4"]


def test_specs_replace_the_sample_and_are_sharded(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    for name in ("x/api.yaml", "api.json", "other.yaml"):
        (tmp_path / name).write_text("openapi: 3.1.0\n", encoding="utf-8")
    value = f"{tmp_path / 'x/api.yaml'}, {tmp_path / 'api.json'},{tmp_path / 'other.yaml'},"

    def no_sample(size: int) -> list[Document]:
        raise AssertionError("the sample is not drawn when CORPUS_SPECS is given")

    assert select({"CORPUS_SPECS": value}, no_sample) == [
        ("api", tmp_path / "x" / "api.yaml"),
        ("api-2", tmp_path / "api.json"),
        ("other", tmp_path / "other.yaml"),
    ]
    assert select({"CORPUS_SPECS": value, "CORPUS_SHARD": "2/2"}, no_sample) == [
        ("api-2", tmp_path / "api.json")
    ]


def test_relative_spec_paths_are_made_absolute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    assert select({"CORPUS_SPECS": "unions.yaml"}, fake_sample) == [("unions", FIXTURES / "unions.yaml")]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CORPUS_SPECS": "missing.yaml"}, "CORPUS_SPECS: no such file: missing.yaml"),
        ({"CORPUS_SPECS": " , "}, "CORPUS_SPECS=' , ' names no document"),
        (
            {"CORPUS_SPECS": str(FIXTURES / "unions.yaml"), "CORPUS_SIZE": "3"},
            "CORPUS_SIZE sizes the built-in sample: leave it out with CORPUS_SPECS",
        ),
        ({"CORPUS_SHARD": "2"}, "CORPUS_SHARD='2' is not of the form k/n (for example 1/4)"),
    ],
)
def test_unusable_environment_is_a_clear_error(env: dict[str, str], message: str) -> None:
    with pytest.raises(SelectionError) as raised:
        select(env, fake_sample)
    assert str(raised.value) == message


def test_shard_runner_runs_exactly_its_share_of_the_named_documents(tmp_path: Path) -> None:
    """`CORPUS_SPECS=a,b CORPUS_SHARD=1/2 pytest -m corpus` generates, imports and type-checks a alone."""
    documents = [FIXTURES / "recursive.yaml", FIXTURES / "nullable.yaml"]
    report = tmp_path / "report.xml"
    env = {key: value for key, value in os.environ.items() if not key.startswith("CORPUS_")}
    env |= {"CORPUS_SPECS": ",".join(map(str, documents)), "CORPUS_SHARD": "1/2"}
    command = [sys.executable, "-m", "pytest", "-m", "corpus", "tests/corpus", "-p", "no:cacheprovider"]
    result = subprocess.run(
        [*command, "-s", f"--junitxml={report}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    cases = ElementTree.parse(report).getroot().iter("testcase")
    ran = [(case.get("name"), [child.tag for child in case]) for case in cases]
    assert ran == [("test_document_generates_imports_and_type_checks[recursive]", [])]  # no failure, no skip
    assert "recursive: operations 1/1, mypy ok, pyright errors 0" in result.stdout
