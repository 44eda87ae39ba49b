"""The two functions every piece of spec text goes through before it lands in generated Python."""

from __future__ import annotations

import ast

from hypothesis import example, given
from hypothesis import strategies as st

from generator.render.annotations import python_string
from generator.render.text import comment, docstring


@given(st.text())
@example('"""')
@example("\\")
@example('ends with a quote"')
@example("\u2028\u2029\x85\x0c\x0b")
def test_python_string_round_trips(value: str) -> None:
    assert ast.literal_eval(python_string(value)) == value


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
