"""A YAML spec reads as the JSON data it stands for: string keys, dates as strings, anchors shared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import SpecError
from generator.load import _SpecLoader, read_data


def read(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "openapi.yaml"
    path.write_text(text, encoding="utf-8")
    return read_data(path)


def test_scalars_keep_their_yaml_types_except_dates(tmp_path: Path) -> None:
    text = (
        "a: 1\nb: 1.5\nc: true\nd: null\ne: ~\nf: '1'\ng: 2024-01-02\nh: 0x1F\ni: .inf\nj: 1_000\nk: plain\n"
    )
    assert read(tmp_path, text) == {
        "a": 1,
        "b": 1.5,
        "c": True,
        "d": None,
        "e": None,
        "f": "1",
        "g": "2024-01-02",
        "h": 31,
        "i": float("inf"),
        "j": 1000,
        "k": "plain",
    }


def test_keys_become_strings_at_every_depth(tmp_path: Path) -> None:
    text = "responses:\n  200: {description: ok}\n  404: {description: missing}\nflags: {true: 1, null: 2}\n"
    assert read(tmp_path, text) == {
        "responses": {"200": {"description": "ok"}, "404": {"description": "missing"}},
        "flags": {"True": 1, "None": 2},
    }


def test_anchors_aliases_and_merge_keys(tmp_path: Path) -> None:
    text = (
        "base: &base {type: object, required: [id]}\n"
        "copy: *base\n"
        "list: &items [1, 2]\n"
        "again: *items\n"
        "merged:\n  <<: *base\n  type: array\n"
        "merged_int_key: {<<: {200: x}, 201: y}\n"
    )
    data = read(tmp_path, text)
    assert data["copy"] == data["base"] == {"type": "object", "required": ["id"]}
    assert data["again"] == [1, 2]
    assert data["merged"] == {"type": "array", "required": ["id"]}
    assert data["merged_int_key"] == {"200": "x", "201": "y"}


def test_explicit_tags(tmp_path: Path) -> None:
    text = "a: !!str 12\nb: !!int '7'\nc: !!binary aGk=\nd: !!set {x, y}\n"
    assert read(tmp_path, text) == {"a": "12", "b": 7, "c": b"hi", "d": {"x", "y"}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !custom 1\n", "could not determine a constructor for the tag '!custom'"),
        ("a: 1\n---\nb: 2\n", "at line 2, column 1: but found another document"),
        ("a: [1, 2\n", "invalid YAML at line 2"),
    ],
)
def test_bad_yaml_is_one_located_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SpecError, match="invalid YAML") as caught:
        read(tmp_path, text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
keys = st.text(max_size=10) | st.integers(min_value=-1000, max_value=1000)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


def pyyaml_reading(text: str) -> Any:
    """What PyYAML's own safe constructor builds (dates kept as strings), keys made strings."""

    def stringified(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): stringified(v) for k, v in value.items()}
        if isinstance(value, list):
            return [stringified(v) for v in value]
        return value

    return stringified(yaml.load(text, Loader=_SpecLoader))


@settings(max_examples=150, deadline=None)
@given(value=values, shared=values, flow=st.booleans())
def test_any_data_reads_as_pyyaml_reads_it(
    tmp_path_factory: pytest.TempPathFactory, value: Any, shared: Any, flow: bool
) -> None:
    document = {"value": value, "first": shared, "second": shared}  # the same object twice: an alias
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow)
    path = tmp_path_factory.mktemp("yaml") / "openapi.yaml"
    path.write_text(text, encoding="utf-8")
    data = read_data(path)
    assert data == pyyaml_reading(text)
    if isinstance(shared, dict | list):
        assert data["first"] is data["second"]


def test_a_yaml_document_in_flow_style_is_not_taken_for_json(tmp_path: Path) -> None:
    data = read(tmp_path, "{openapi: 3.1.0, info: {title: T}}\n")
    assert data == {"openapi": "3.1.0", "info": {"title": "T"}}


def test_a_broken_json_document_is_reported_as_json(tmp_path: Path) -> None:
    path = tmp_path / "openapi.json"
    path.write_text('{"openapi": "3.1.0",\n "info": }', encoding="utf-8")
    with pytest.raises(SpecError, match=r"invalid JSON at line 2, column 10: Expecting value"):
        read_data(path)
