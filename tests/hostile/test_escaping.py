"""The functions every piece of spec text (and every example value) goes through before it lands in
generated Python."""

from __future__ import annotations

import ast
import datetime
import json
import tomllib

from hypothesis import example, given
from hypothesis import strategies as st

from generator.parse.examples import examples_of
from generator.render.annotations import python_string, python_value
from generator.render.text import comment, docstring, toml_string


@given(st.text())
@example('"""')
@example("\\")
@example('ends with a quote"')
@example("\u2028\u2029\x85\x0c\x0b")
def test_python_string_round_trips(value: str) -> None:
    assert ast.literal_eval(python_string(value)) == value


@given(st.text())
@example("\x7f")  # JSON leaves DEL raw; TOML refuses it (a hostile-spec run found it in pyproject.toml)
@example('"""\n\\u0000')
@example("\x00\x1f\x80\u2028")
def test_toml_strings_round_trip(value: str) -> None:
    assert tomllib.loads("value = " + toml_string(value))["value"] == value


@given(st.text(), st.sampled_from(["", "    ", "        "]))
@example('"""; import os; """', "")
@example("\\", "")
@example('x"', "    ")
@example("a\u2028b\x85c", "")
def test_docstrings_are_one_inert_string(text: str, indent: str) -> None:
    source = docstring(text, indent)
    if not source:
        return
    body = "def f():\n" + source + "\n" if indent else source + "\n"
    tree = ast.parse(body)
    statements = tree.body[0].body if indent else tree.body  # type: ignore[attr-defined]
    assert len(statements) == 1
    assert isinstance(statements[0], ast.Expr) and isinstance(statements[0].value, ast.Constant)


@given(st.text())
def test_comments_stay_on_one_line(text: str) -> None:
    ast.parse(f"# {comment(text)}\nx = 1\n")
    assert "\n" not in comment(text)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(JSON)
def test_example_values_round_trip_as_python_literals(value: object) -> None:
    assert ast.literal_eval(python_value(value)) == value  # type: ignore[arg-type]


@given(st.lists(JSON, max_size=4), JSON | st.just(float("nan")) | st.dates())
def test_examples_keep_the_json_values_but_null_once_each_in_order(
    listed: list[object], single: object
) -> None:
    kept = examples_of({"examples": listed, "example": single})
    json_single = not isinstance(single, datetime.date) and single == single  # not a date, not NaN
    expected: dict[str, object] = {}
    for value in [*listed, single] if json_single else listed:
        if value is not None:
            expected.setdefault(json.dumps(value, sort_keys=True), value)
    assert list(kept) == list(expected.values())
    assert all(ast.literal_eval(python_value(v)) == v for v in kept)  # type: ignore[arg-type]
