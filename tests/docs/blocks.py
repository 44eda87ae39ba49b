"""Reading the generated docs: fenced code blocks, operation sections, and the packages they describe."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT, VENDORS

GENERATED = ROOT / "generated"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_ANCHOR = re.compile(r'^<a id="(op-[^"]+)"></a>$', re.MULTILINE)


@dataclass(frozen=True)
class Block:
    vendor: str
    doc: str  # "README.md" or "docs/api.md"
    index: int
    lang: str
    text: str
    line: int

    @property
    def where(self) -> str:
        return f"generated/{self.vendor}/{self.doc}:{self.line}"


def blocks(vendor: str, doc: str, text: str | None = None) -> list[Block]:
    if text is None:
        text = (GENERATED / vendor / doc).read_text(encoding="utf-8")
    found = []
    for index, match in enumerate(_FENCE.finditer(text)):
        line = text.count("\n", 0, match.start()) + 1
        found.append(Block(vendor, doc, index, match.group(1), match.group(2), line))
    return found


def all_blocks(lang: str) -> list[Block]:
    return [
        b for v in VENDORS for doc in ("README.md", "docs/api.md") for b in blocks(v, doc) if b.lang == lang
    ]


def operation_sections(text: str) -> dict[str, str]:
    """`op-<id>` anchor -> the markdown of that operation's section (up to the next anchor)."""
    starts = [(m.start(), m.group(1)) for m in _ANCHOR.finditer(text)]
    ends = [m.start() for m in re.finditer(r'^<a id="', text, re.MULTILINE)] + [len(text)]
    sections = {}
    for start, anchor in starts:
        end = next(e for e in ends if e > start)
        sections[anchor] = text[start:end]
    return sections


def section(text: str, heading: str) -> str:
    """The markdown under a `## heading` of a README, up to the next `## `."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def source_dir(vendor: str) -> Path:
    return GENERATED / vendor / "src"
