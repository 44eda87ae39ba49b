"""Markdown and shell text of the docs: escaping, table cells, anchors, links, literals and import lines."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from ...ir import model as m
from ..annotations import python_string
from ..text import clean

STDLIB_MODULES = frozenset({"asyncio", "datetime", "json", "logging", "os", "pathlib", "uuid"})
Imports = set[tuple[str, str]]  # (module, name); name "" means `import module`


@cache
def inline(text: str) -> str:
    """Spec prose as markdown: `<` and `>` outside code spans escaped so they are not read as HTML, and code
    fences written with tildes so the docs' own fenced examples are the only backtick fences."""
    parts = clean(text).replace("```", "~~~").split("`")
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace("<", "&lt;").replace(">", "&gt;")
    return "`".join(parts)


def prose(text: str) -> str:
    """Spec prose on one line of a markdown table (pipes escaped)."""
    return " ".join(inline(text).split()).replace("|", "\\|")


def cell(text: str) -> str:
    return prose(text) or "—"


def code(text: str) -> str:
    return "`" + text.replace("|", "\\|") + "`"


def op_anchor(op_id: str) -> str:
    return "op-" + re.sub(r"[^A-Za-z0-9_-]+", "-", op_id)


def link(name: str, base: str = "") -> str:
    return f"[`{name}`]({base}#model-{name})"


def default_cell(has: bool, value: m.JsonValue) -> str:
    return code(json.dumps(value, ensure_ascii=False)) if has else "—"


def shell_quoted(text: str) -> str:
    """Text safe inside a double-quoted shell string."""
    return re.sub(r'([\\"$`])', r"\\\1", text)


def as_text(value: Any) -> str:
    """A JSON value as it travels in a query string, header or form field."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def python_value(value: Any) -> str:
    """A JSON value as a Python literal."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{python_string(k)}: {python_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(python_value(v) for v in value) + "]"
    return python_string(value) if isinstance(value, str) else repr(value)


def call_lines(prefix: str, call: str, args: list[tuple[str, str]], suffix: str = "") -> list[str]:
    if not args:
        return [f"{prefix}{call}(){suffix}"]
    return [f"{prefix}{call}(", *(f"    {k}={v}," for k, v in args), f"){suffix}"]


def render_imports(imports: Imports, package: str) -> str:
    """Import lines grouped (standard library, third party, the package) and sorted as ruff's isort does."""
    groups: list[list[str]] = [[], [], []]
    for module in sorted({mod for mod, _ in imports}):
        group = groups[0 if module in STDLIB_MODULES else 2 if module.split(".")[0] == package else 1]
        if (module, "") in imports:
            group.insert(sum(1 for line in group if line.startswith("import ")), f"import {module}")
        names = sorted(name for mod, name in imports if mod == module and name)
        if names:
            group.append(f"from {module} import {', '.join(names)}")
    return "\n\n".join("\n".join(group) for group in groups if group)
