"""The docs' Markdown as safe HTML: a small subset (paragraphs, lists, fenced code, code spans, bold,
emphasis, links), every character of the source escaped, only `#`, `http(s):` and `mailto:` links kept.

It reads the Markdown `docs/api.md` is printed from (`render/docs/text.py`): entity references such as the
`&lt;` that `inline()` writes are decoded, then everything is escaped again, so no spec text is ever HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from markupsafe import Markup, escape

# A link target as written -> where the page links (None: show the text without a link).
Resolver = Callable[[str], str | None]

_TOKEN = re.compile(
    r"(?P<ticks>`+)(?P<code>.+?)(?P=ticks)"
    r"|\[(?P<label>(?:[^\[\]`]|`[^`]*`)*)\]\((?P<href>[^()\s]*)\)"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|(?<![\w*])\*(?P<em>[^*\s](?:[^*]*[^*\s])?)\*(?![\w*])",
    re.DOTALL,
)
_BACKSLASH = re.compile(r"\\([!-/:-@\[-`{-~])")
_FENCE = re.compile(r"^(~~~+|```+)")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def plain(text: str) -> str:
    """Markdown text outside any markup: backslash escapes and entity references decoded, then escaped."""
    return str(escape(html.unescape(_BACKSLASH.sub(r"\1", text))))


def same_page(href: str) -> str | None:
    return href if href.startswith("#") or href.startswith(_SAFE_SCHEMES) else None


def inline_html(text: str, resolve: Resolver = same_page) -> Markup:
    """One line or cell of Markdown as HTML."""
    out, pos = [], 0
    for found in _TOKEN.finditer(text):
        out.append(plain(text[pos : found.start()]))
        pos = found.end()
        if found["code"] is not None:
            out.append(f"<code>{escape(found['code'].replace(chr(92) + '|', '|'))}</code>")
        elif found["href"] is not None:
            label = inline_html(found["label"], resolve)
            href = resolve(found["href"])
            out.append(f'<a href="{escape(href)}">{label}</a>' if href is not None else str(label))
        elif found["bold"] is not None:
            out.append(f"<strong>{inline_html(found['bold'], resolve)}</strong>")
        else:
            out.append(f"<em>{inline_html(found['em'], resolve)}</em>")
    out.append(plain(text[pos:]))
    return Markup("".join(out))


def block_html(text: str, resolve: Resolver = same_page) -> Markup:
    """Paragraphs, lists and fenced code blocks of Markdown as HTML."""
    out: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line.strip())
        if fence:
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip().startswith(fence[1])), None)
            body = lines[i + 1 : end if end is not None else len(lines)]
            out.append(f"<pre><code>{escape(chr(10).join(body))}</code></pre>")
            i = (end if end is not None else len(lines)) + 1
        elif not line.strip():
            i += 1
        elif _ITEM.match(line):
            items: list[str] = []
            while i < len(lines) and lines[i].strip() and not _FENCE.match(lines[i].strip()):
                if _ITEM.match(lines[i]) or not items:
                    items.append(_ITEM.sub("", lines[i], count=1))
                else:
                    items[-1] += " " + lines[i].strip()
                i += 1
            out.append("<ul>" + "".join(f"<li>{inline_html(x, resolve)}</li>" for x in items) + "</ul>")
        else:
            para: list[str] = []
            while (
                i < len(lines)
                and lines[i].strip()
                and not _FENCE.match(lines[i].strip())
                and not _ITEM.match(lines[i])
            ):
                para.append(lines[i].strip().lstrip("#").strip())
                i += 1
            out.append(f"<p>{inline_html(' '.join(para), resolve)}</p>")
    return Markup("".join(out))
