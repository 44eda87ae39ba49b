"""Small helpers for looking into parsed JSON without losing static types."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

__all__ = ["as_list", "as_mapping", "lookup"]


def as_mapping(value: object) -> Mapping[str, object] | None:
    """``value`` as a string-keyed mapping (a parsed JSON object), or ``None``."""
    if isinstance(value, (dict, Mapping)):  # dict first: parsed JSON skips the ABC's slower check
        return cast("Mapping[str, object]", value)
    return None


def as_list(value: object) -> list[object] | None:
    """``value`` as a list of objects when it is a list, tuple or set, else ``None``."""
    if isinstance(value, list | tuple | set | frozenset):
        return list(cast("list[object]", value))
    return None


def lookup(data: object, path: str) -> object:
    """``data["a"]["b"]`` for ``path="a.b"``; ``None`` when any step is missing."""
    if "." not in path:  # one step: the usual case, without the loop
        mapping = as_mapping(data)
        return None if mapping is None else mapping.get(path)
    current = data
    for part in path.split("."):
        mapping = as_mapping(current)
        if mapping is None:
            return None
        current = mapping.get(part)
    return current
