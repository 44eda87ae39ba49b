"""Turning python arguments into wire values: paths, query strings, headers, JSON and forms."""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import sys
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, TypeGuard
from urllib.parse import quote

from ._types import NotGiven, Omit
from ._utils import as_list, as_mapping

if TYPE_CHECKING:
    import pydantic

__all__ = [
    "HeaderMap",
    "build_path",
    "encode_form",
    "encode_query",
    "query_scalar",
    "to_jsonable",
]

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def _is_model(value: object) -> TypeGuard[pydantic.BaseModel]:
    # no model instance exists before pydantic.main has defined BaseModel: checking never imports it,
    # and a pydantic.main that another thread is still importing may not have it yet
    base: type[pydantic.BaseModel] | None = getattr(sys.modules.get("pydantic.main"), "BaseModel", None)
    return base is not None and isinstance(value, base)


def _is_absent(value: object) -> bool:
    return value is None or isinstance(value, NotGiven | Omit)


def query_scalar(value: object) -> str:
    """One value as text: bools as ``true``/``false``, enums by value, dates in ISO 8601."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return query_scalar(value.value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if _is_model(value) or as_mapping(value) is not None:
        return json.dumps(to_jsonable(value), separators=(",", ":"))
    return str(value)


def _segment(value: object) -> str:
    text = query_scalar(value)
    encoded = quote(text, safe="")
    if encoded in (".", ".."):  # would be removed by URL normalisation
        encoded = encoded.replace(".", "%2E")
    return encoded


def build_path(template: str, params: Mapping[str, object]) -> str:
    """Fill ``{name}`` placeholders, percent-encoding every character that is not unreserved.

    ``"a/b"`` becomes ``a%2Fb`` and ``".."`` becomes ``%2E%2E``, so a value can never change
    which path is requested. Missing or empty values raise ``ValueError``.
    """

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        value = params.get(name)
        if _is_absent(value):
            raise ValueError(f"Missing value for path parameter {name!r}")
        encoded = _segment(value)
        if not encoded:
            raise ValueError(f"Path parameter {name!r} must not be empty")
        return encoded

    return _PLACEHOLDER.sub(fill, template)


def encode_query(layers: Iterable[Mapping[str, object] | None]) -> list[tuple[str, str]]:
    """Merge query layers (later wins per key) into ``(key, value)`` pairs.

    ``NOT_GIVEN``/``None`` leave the key as earlier layers set it (usually absent); ``Omit()``
    removes it; lists and tuples repeat it (``tag=a&tag=b``).
    """
    merged: dict[str, object] = {}
    for layer in layers:
        if not layer:
            continue
        for key, value in layer.items():
            if isinstance(value, Omit):
                merged.pop(key, None)
            elif not _is_absent(value):
                merged[key] = value
    pairs: list[tuple[str, str]] = []
    for key, value in merged.items():
        items = as_list(value)
        if items is not None:
            pairs.extend((key, query_scalar(item)) for item in items if not _is_absent(item))
        else:
            pairs.append((key, query_scalar(value)))
    return pairs


class HeaderMap:
    """Case-insensitive header layers; refuses values with CR, LF or NUL."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[str, str]] = {}

    def update(self, layer: Mapping[str, object] | None) -> None:
        """Apply one layer: ``NOT_GIVEN``/``None`` are skipped, ``Omit()`` removes the header."""
        if not layer:
            return
        for name, value in layer.items():
            if isinstance(value, Omit):
                self._items.pop(name.lower(), None)
            elif not _is_absent(value):
                self.set(name, query_scalar(value))

    def set(self, name: str, value: str) -> None:
        """Set one header after checking name and value."""
        if not name or any(c in name for c in "\r\n\0:"):
            raise ValueError(f"Invalid header name {name!r}")
        if any(c in value for c in "\r\n\0"):
            raise ValueError(f"Header {name!r} contains a CR, LF or NUL character; refused")
        self._items[name.lower()] = (name, value)

    def get(self, name: str) -> str | None:
        """The value of ``name`` (any case), or ``None``."""
        item = self._items.get(name.lower())
        return None if item is None else item[1]

    def __contains__(self, name: str) -> bool:
        return name.lower() in self._items

    def as_dict(self) -> dict[str, str]:
        """Headers with the spelling they were given in."""
        return dict(self._items.values())


def to_jsonable(value: object) -> object:
    """Make ``value`` JSON-ready: drop ``NOT_GIVEN`` keys, dump models by alias (set fields)."""
    if _is_model(value):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    mapping = as_mapping(value)
    if mapping is not None:
        return {str(k): to_jsonable(v) for k, v in mapping.items() if not isinstance(v, NotGiven | Omit)}
    items = as_list(value)
    if items is not None:
        return [to_jsonable(v) for v in items if not isinstance(v, NotGiven | Omit)]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, uuid.UUID):
        return str(value)
    import pydantic_core

    return pydantic_core.to_jsonable_python(value)


def form_fields(layers: Iterable[Mapping[str, object] | None]) -> list[tuple[str, str, bool]]:
    """Form fields as ``(name, text, is_json)``: objects, lists of objects and models are JSON-encoded."""
    merged: dict[str, object] = {}
    for layer in layers:
        if layer:
            merged.update({k: v for k, v in layer.items() if not _is_absent(v)})
    fields: list[tuple[str, str, bool]] = []
    for key, value in merged.items():
        items = as_list(value)
        if items is not None:
            if any(isinstance(i, Mapping | list) or _is_model(i) for i in items):
                fields.append((key, json.dumps(to_jsonable(items)), True))
            else:
                fields.extend((key, query_scalar(i), False) for i in items if not _is_absent(i))
        elif _is_model(value) or as_mapping(value) is not None:
            fields.append((key, json.dumps(to_jsonable(value)), True))
        else:
            fields.append((key, query_scalar(value), False))
    return fields


def encode_form(layers: Iterable[Mapping[str, object] | None]) -> list[tuple[str, str]]:
    """Form fields as ``(name, text)`` pairs; objects and models are JSON-encoded."""
    return [(key, text) for key, text, _ in form_fields(layers)]
