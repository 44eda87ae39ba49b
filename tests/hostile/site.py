"""What a generated HTML reference may contain whatever the spec says: only the elements and attributes our
templates write, no event handler, no script but ours and JSON data, and that JSON intact."""

from __future__ import annotations

import json
from html.parser import HTMLParser

# every element the templates, the Markdown renderer and the console write
ELEMENTS = {
    "html", "head", "meta", "title", "link", "script", "body", "a", "header", "p", "span", "div", "label",
    "input", "ul", "li", "nav", "main", "h1", "h2", "h3", "h4", "section", "code", "pre", "table", "caption",
    "thead", "tbody", "tr", "th", "td", "button", "strong", "em", "fieldset", "legend", "datalist", "option",
    "textarea", "output",
}  # fmt: skip
SAFE_HREF = ("#", "http://", "https://", "mailto:", "data:,")


class SiteChecker(HTMLParser):
    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.script: str | None = None  # the type of the script element being read
        self.data: list[str] = []
        self.json_blocks = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        where = f"{self.name}: <{tag}>"
        assert tag in ELEMENTS, f"{where}: an element the templates never write"
        for key, value in attrs:
            assert not key.startswith("on"), f"{where}: event handler attribute {key}"
            assert key != "style", f"{where}: inline style"
            if key in ("href", "src"):
                assert value is not None
                local = "/" not in value.split("#")[0] and ":" not in value.split("#")[0]
                assert local or value.startswith(SAFE_HREF), f"{where}: {key}={value!r}"
                assert not value.lower().startswith("javascript:"), f"{where}: {key}={value!r}"
        if tag == "script":
            kind = dict(attrs).get("type")
            src = dict(attrs).get("src")
            assert kind == "application/json" or src == "reference.js", f"{where}: a script not ours"
            self.script, self.data = kind or "src", []

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.data.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            text = "".join(self.data)
            if self.script == "application/json":
                json.loads(text)  # raises when spec text broke out of it
                assert "</" not in text and "<!--" not in text, f"{self.name}: raw markup in JSON data"
                self.json_blocks += 1
            else:
                assert not text.strip(), f"{self.name}: code inside <script src>"
            self.script = None


def check_site(files: dict[str, str]) -> int:
    """Check every page of `docs/reference/`; return how many JSON data blocks were read."""
    pages = {path: text for path, text in files.items() if path.startswith("docs/reference/")}
    assert "docs/reference/index.html" in pages
    blocks = 0
    for path, text in pages.items():
        if path.endswith(".html"):
            checker = SiteChecker(path)
            checker.feed(text)
            checker.close()
            assert checker.script is None, f"{path}: a script element never closed"
            blocks += checker.json_blocks
        elif path.endswith("search-index.js"):
            body = text.split("window.referenceSearchIndex = ", 1)[1].rstrip().removesuffix(";")
            json.loads(body)
            assert "</" not in body
    return blocks
