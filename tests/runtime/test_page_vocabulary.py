"""One vocabulary for pagination from the IR to the runtime: the same styles and the same names everywhere.

A style is one detection rule (the parser's `RULES`), one strategy (the runtime's `PAGE_STRATEGIES`) and
one docs row (the docs' `NEXT_PAGE`, the `PageSpec` docstring, docs/spec-conventions.md); a style added to
one of them and forgotten in another fails here.
"""

from __future__ import annotations

import ast
from dataclasses import fields
from typing import get_args

import pytest

from generator.ir import model as m
from generator.parse.pagination import RULES
from generator.pipeline import build_ir
from generator.render import render_package
from generator.render.docs.runtime import NEXT_PAGE
from generator.runtime import PageSpec
from generator.runtime._pagination import PAGE_STRATEGIES
from generator.runtime._spec import PageStyle
from tests.conftest import ROOT

STYLES = get_args(m.PageStyle)


@pytest.mark.parametrize(
    ("layer", "styles"),
    [
        ("runtime PageStyle", get_args(PageStyle)),
        ("runtime PAGE_STRATEGIES", tuple(PAGE_STRATEGIES)),
        ("parser RULES", tuple(sorted(RULES, key=STYLES.index))),
        ("docs NEXT_PAGE", tuple(NEXT_PAGE)),
    ],
)
def test_every_layer_lists_the_ir_styles(layer: str, styles: tuple[str, ...]) -> None:
    assert styles == STYLES, layer


def test_every_style_has_its_documentation_row() -> None:
    conventions = (ROOT / "docs" / "spec-conventions.md").read_text(encoding="utf-8")
    assert PageSpec.__doc__ is not None
    for style in STYLES:
        assert f"\n    ``{style}`` " in PageSpec.__doc__, style
        assert f"\n| `{style}` |" in conventions, style


def test_the_page_spec_takes_the_ir_field_names() -> None:
    """`item_type` types the items (the method's `item_type=`); every other IR field is a `PageSpec` field."""
    names = [f.name for f in fields(m.Pagination) if f.name != "item_type"]
    assert names == [f.name for f in fields(PageSpec)]


def _rendered_specs(files: dict[str, str]) -> list[PageSpec]:
    found = []
    for path, text in files.items():
        if not path.endswith(".py"):
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "PageSpec":
                found.append(PageSpec(**{k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}))
    return found


@pytest.mark.parametrize("fixture", ["pagination", "pagination_ends"])
def test_the_generated_page_spec_states_every_name_the_parser_resolved(fixture: str) -> None:
    api = build_ir(ROOT / "tests" / "fixtures" / "specs" / f"{fixture}.yaml")
    expected = []
    for op in m.all_operations(api):
        if op.pagination is None:
            continue
        page = op.pagination
        names = {f.name: getattr(page, f.name) for f in fields(page) if f.name != "item_type"}
        if names["max_empty_pages"] is None:  # the runtime's default
            del names["max_empty_pages"]
        expected.append(PageSpec(**names))
    rendered = _rendered_specs(render_package(api))
    assert expected and sorted(map(repr, rendered)) == sorted(map(repr, expected * 3))  # sync, async, kit
