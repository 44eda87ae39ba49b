"""Spec text made safe to print inside generated Python: docstrings and comments."""

from __future__ import annotations

import textwrap


def clean(text: str) -> str:
    """Spec prose as docstring text: control characters dropped, trailing spaces trimmed."""
    kept = "".join(ch if ch in "\n\t" or ord(ch) >= 0x20 else " " for ch in text.replace("\r\n", "\n"))
    kept = kept.replace("\t", "    ")
    kept = "".join(ch for ch in kept if not (0xD800 <= ord(ch) <= 0xDFFF))
    return "\n".join(line.rstrip() for line in kept.strip().splitlines())


def docstring_body(text: str) -> str:
    """Text that can sit between triple double quotes whatever it contains."""
    body = clean(text).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    return body


def docstring(text: str, indent: str) -> str:
    """A complete docstring statement indented by `indent`, or "" for no text."""
    body = docstring_body(text)
    if not body:
        return ""
    if "\n" not in body and len(body) + len(indent) + 6 <= 110:
        return f'{indent}"""{body}"""'
    return f'{indent}"""{textwrap.indent(body, indent).lstrip()}\n{indent}"""'


def comment(text: str) -> str:
    """One line of spec text usable after `#`."""
    return " ".join(clean(text).split())
