"""Spec text made safe to print inside generated Python: docstrings and comments."""

from __future__ import annotations

import json
import re
import textwrap
from functools import cache

_CONTROL = {code: " " for code in range(0x20) if code not in (0x0A, 0x09)} | {0x09: "    ", 0x7F: " "}
_SURROGATES = re.compile("[\ud800-\udfff]")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


@cache
def clean(text: str) -> str:
    """Spec prose as docstring text: control characters dropped, trailing spaces trimmed."""
    if not text:
        return ""
    kept = text.replace("\r\n", "\n").translate(_CONTROL)
    kept = _SURROGATES.sub("", kept)
    return _TRAILING_SPACE.sub("", kept.strip())


_QUOTE_RUN = re.compile(r'"(?=")|"$')


def docstring_body(text: str) -> str:
    """Text that can sit between triple double quotes whatever it contains.

    Backslashes are doubled, then every quote that is followed by another quote, or ends the text, is
    escaped: no run of three unescaped quotes can remain, and the closing quotes cannot merge with the text.
    """
    return _QUOTE_RUN.sub('\\\\"', clean(text).replace("\\", "\\\\"))


@cache
def docstring(text: str, indent: str) -> str:
    """A complete docstring statement indented by `indent`, or "" for no text.

    Cached, as `clean` is: large documents repeat the same descriptions on thousands of fields.
    """
    body = docstring_body(text)
    if not body:
        return ""
    if "\n" not in body and len(body) + len(indent) + 6 <= 110:
        return f'{indent}"""{body}"""'
    return f'{indent}"""{textwrap.indent(body, indent).lstrip()}\n{indent}"""'


def comment(text: str) -> str:
    """One line of spec text usable after `#`."""
    return " ".join(clean(text).split())


def toml_string(text: str) -> str:
    """`text` as a TOML basic string: JSON's escapes, plus DEL, which TOML (unlike JSON) forbids raw."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
