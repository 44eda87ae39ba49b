"""The reference site's Markdown renderer and its `<script>` JSON: spec text never becomes markup of its
own, the subset the docs write renders, and unsafe link targets lose their link."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

from hypothesis import example, given
from hypothesis import strategies as st

from generator.render.site.console import script_json
from generator.render.site.markdown import block_html, inline_html

ALLOWED = {"p", "ul", "li", "pre", "code", "a", "strong", "em"}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(markup: str) -> Tags:
    tags = Tags()
    tags.feed(markup)
    tags.close()
    return tags


@given(st.text())
@example("<script>alert(1)</script>")
@example('<img src=x onerror="alert(1)">')
@example("[x](javascript:alert(1)) [y](data:text/html,hi)")
@example("`</code><b>` &lt;b&gt; &amp;lt;")
def test_any_text_makes_only_the_subset_and_safe_links(text: str) -> None:
    for markup in (inline_html(text), block_html(text)):
        for tag, attrs in parsed(markup).tags:
            assert tag in ALLOWED, (text, markup)
            assert set(attrs) <= ({"href"} if tag == "a" else set()), (text, markup)
            href = attrs.get("href") or ""
            assert tag != "a" or re.match(r"(#|https?://|mailto:)", href), (text, markup)


def test_the_docs_markdown_renders() -> None:
    cell = "Returns [`Workflow`](#model-Workflow); **never** `a \\| b`, see *this* &lt;id&gt;."
    assert inline_html(cell, lambda href: "models-w.html" + href) == (
        'Returns <a href="models-w.html#model-Workflow"><code>Workflow</code></a>; <strong>never</strong> '
        "<code>a | b</code>, see <em>this</em> &lt;id&gt;."
    )
    text = "First line\nsecond.\n\n- one\n- two `x`\n\n~~~\n<b>code</b>\n~~~"
    assert block_html(text) == (
        "<p>First line second.</p><ul><li>one</li><li>two <code>x</code></li></ul>"
        "<pre><code>&lt;b&gt;code&lt;/b&gt;</code></pre>"
    )
    assert inline_html("[docs](https://example.com/a), [x](javascript:alert) and [y](/en/rest)") == (
        '<a href="https://example.com/a">docs</a>, x and y'
    )


@given(
    st.recursive(
        st.text() | st.integers() | st.none(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    )
)
@example({"a": "</script><!-- \u2028 & <b>"})
def test_script_json_round_trips_and_cannot_close_its_element(value: object) -> None:
    text = str(script_json(value))
    assert json.loads(text) == value
    assert "<" not in text and ">" not in text and "&" not in text
    assert html.unescape(text) == text  # nothing an HTML parser would read as a reference
