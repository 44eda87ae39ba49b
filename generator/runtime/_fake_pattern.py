"""A string matching a regular expression, for :mod:`._fake`: walks the pattern's parse tree.

Literals, classes (ranges, ``\\d``, ``\\w``, ``\\s``, negations), ``.``, repeats (the fewest allowed,
at least one), groups, back references, alternation (its first branch) and anchors are supported;
a lookaround or a pattern the result does not match raises :class:`Unsatisfiable`.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

__all__ = ["Unsatisfiable", "from_pattern"]

_parser: Any = importlib.import_module("re._parser")  # the stdlib's own regex parser (3.11+)
_const: Any = importlib.import_module("re._constants")

_CATEGORIES = {
    "CATEGORY_DIGIT": "0123456789",
    "CATEGORY_WORD": "abcdefghijklmnopqrstuvwxyz0123456789_",
    "CATEGORY_SPACE": " ",
}
_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_. "


class Unsatisfiable(ValueError):
    """No fake value meets a field's constraints; the message says why."""


def from_pattern(pattern: str, digest: int, extra: int = 0) -> str:
    """A string that ``re.search(pattern, ...)`` matches, chosen by ``digest``.

    Each repeat repeats its minimum (at least once) plus ``extra`` times, as far as it may.
    """
    try:
        tree = _parser.parse(pattern)
    except re.error as exc:
        raise Unsatisfiable(f"the pattern {pattern!r} is not a Python regular expression: {exc}") from exc
    walker = _Walker(digest, extra)
    text = walker.sequence(tree)
    if re.search(pattern, text) is None:
        raise Unsatisfiable(f"cannot build a string matching the pattern {pattern!r}")
    return text


class _Walker:
    def __init__(self, digest: int, extra: int) -> None:
        self.digest = digest
        self.extra = extra
        self.groups: dict[int, str] = {}
        self.step = 0

    def pick(self, choices: str) -> str:
        self.step += 1
        return choices[(self.digest + self.step * 7919) % len(choices)]

    def sequence(self, items: Any) -> str:
        return "".join(self.item(str(op), av) for op, av in items)

    def item(self, op: str, av: Any) -> str:
        if op == "LITERAL":
            return chr(av)
        if op == "NOT_LITERAL":
            return self.pick("".join(c for c in _ALPHABET if c != chr(av)))
        if op == "ANY":
            return self.pick(_ALPHABET.strip())
        if op == "IN":
            return self.pick(_members(av))
        if op == "CATEGORY":
            return self.pick(_members([(_const.CATEGORY, av)]))
        if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            count = min(max(low, 1) + self.extra, high)
            return "".join(self.sequence(sub) for _ in range(count))
        if op == "SUBPATTERN":
            group, _, _, sub = av
            text = self.sequence(sub)
            if group is not None:
                self.groups[group] = text
            return text
        if op == "ATOMIC_GROUP":
            return self.sequence(av)
        if op == "BRANCH":
            return self.sequence(av[1][0])
        if op == "GROUPREF":
            return self.groups.get(av, "")
        if op == "AT":
            return ""
        raise Unsatisfiable(f"the pattern uses {op.lower()}, which fake values do not support")


def _members(items: Any) -> str:
    """The characters a class (``[...]``) admits, from a small alphabet plus its own literals."""
    negate = False
    allowed: list[str] = []
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            allowed.append(chr(av))
        elif name == "RANGE":
            low, high = av
            allowed.extend(chr(c) for c in range(low, min(high, low + 94) + 1))
        elif name == "CATEGORY":
            category = str(av)
            positive = category.replace("CATEGORY_NOT_", "CATEGORY_")
            chars = _CATEGORIES.get(positive, "")
            if positive != category:
                chars = "".join(c for c in _ALPHABET if c not in chars)
            allowed.extend(chars)
    if negate:
        allowed = [c for c in _ALPHABET if c not in allowed]
    if not allowed:
        raise Unsatisfiable("a character class of the pattern admits no character fake values use")
    return "".join(dict.fromkeys(allowed))
