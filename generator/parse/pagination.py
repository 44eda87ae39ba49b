"""Which pagination style an operation uses, detected from its parameters and its response's fields.

The table in docs/spec-conventions.md is the contract; `x-pagination` on the operation overrides it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import SpecError
from ..ir import model as m
from ..ir import types as t

_PAGE_TOKEN_PARAMS = ("pageToken", "page_token")
_PAGE_TOKEN_NEXT = ("nextPageToken", "next_page_token")
_CURSOR_PARAMS = ("cursor", "after", "starting_after", "page_after")
_CURSOR_NEXT = ("next_cursor", "nextCursor", "next")
_SEQUENCE_PARAMS = ("since_sequence", "after_sequence", "sinceSequence", "afterSequence")
_SIZE_PARAMS = ("page_size", "pageSize", "per_page", "perPage", "limit", "size")
_HAS_MORE = ("has_more", "hasMore", "has_next", "hasNext", "has_next_page", "hasNextPage")
_TOTAL_PAGES = ("total_pages", "totalPages", "pages")
_TOTAL = ("total", "total_count", "totalCount", "total_items", "totalItems", "total_results", "totalResults")
_ITEM_KEYS = ("items", "data", "results")
_STYLES = ("page", "offset", "cursor", "page_token", "body_cursor", "sequence")
_TUNING = frozenset({"max_empty_pages", "total_field"})  # x-pagination keys that keep detection


def detect(
    operation: dict[str, Any],
    at: str,
    params: tuple[m.Param, ...],
    body: m.Body | None,
    success: m.Response | None,
    models: dict[str, m.Model],
) -> m.Pagination | None:
    if success is None or success.kind != "json" or success.type is None:
        return None
    query = {p.name.wire for p in params if p.location == "query"}
    fields = _fields(success.type, models)
    override = operation.get("x-pagination")
    if isinstance(override, dict) and "style" not in override and set(override) <= _TUNING:
        # only tuning keys: detect as usual, then apply them
        found = detect({}, at, params, body, success, models)
        return None if found is None else _tune(found, override, at + "/x-pagination", fields)
    if override is not None:
        return _override(override, at + "/x-pagination", fields, success.type, models)
    if fields is None:
        if isinstance(success.type, t.Array) and "offset" in query:
            return m.Pagination(
                "offset", "", success.type.items, "offset", size_param=_first(query, _SIZE_PARAMS)
            )
        return None
    items = _items_field(fields)
    if items is None:
        return None
    items_name, item_type = items
    names = set(fields)
    size = _first(query, _SIZE_PARAMS)
    has_more = _first(names, _HAS_MORE)

    def build(style: m.PageStyle, request: str, next_field: str | None = None) -> m.Pagination:
        return m.Pagination(
            style,
            items_name,
            item_type,
            request,
            next_field=next_field,
            size_param=size,
            has_more_field=has_more,
            total_pages_field=_first(names, _TOTAL_PAGES),
            total_field=_total_field(fields) if style == "offset" else None,
        )

    token = _first(query, _PAGE_TOKEN_PARAMS)
    if token and _first(names, _PAGE_TOKEN_NEXT):
        return build("page_token", token, _first(names, _PAGE_TOKEN_NEXT))
    cursor = _first(query, _CURSOR_PARAMS)
    if cursor and _first(names, _CURSOR_NEXT):
        return build("cursor", cursor, _first(names, _CURSOR_NEXT))
    body_fields = _fields(body.type, models) if body is not None and body.kind == "json" else None
    if body_fields and "cursor" in body_fields and _first(names, _CURSOR_NEXT):
        return build("body_cursor", "cursor", _first(names, _CURSOR_NEXT))
    sequence = _first(query, _SEQUENCE_PARAMS)
    if sequence:
        return build("sequence", sequence, "next_sequence" if "next_sequence" in names else None)
    if "page" in query and (size or has_more or _first(names, _TOTAL_PAGES) or "total" in names):
        return build("page", "page")
    if "offset" in query:
        return build("offset", "offset")
    return None


def _total_field(fields: dict[str, t.TypeRef]) -> str | None:
    """The response field counting the items of all pages: an integer named like `total`."""
    for name in _TOTAL:
        type_ = fields.get(name)
        type_ = type_.inner if isinstance(type_, t.Nullable) else type_
        if isinstance(type_, t.Primitive) and type_.kind == "integer":
            return name
    return None


def _max_empty_pages(raw: Any, at: str) -> int | None:
    value = raw.get("max_empty_pages")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SpecError("x-pagination max_empty_pages must be an integer of at least 1", at=at)
    return value


def _tune(
    found: m.Pagination, raw: dict[str, Any], at: str, fields: dict[str, t.TypeRef] | None
) -> m.Pagination:
    """A detected pagination with the `x-pagination` tuning keys applied."""
    total = raw.get("total_field", found.total_field)
    if total is not None and (fields is None or total not in fields):
        raise SpecError(f"x-pagination total_field {total!r} is not a field of the response", at=at)
    return replace(found, total_field=total, max_empty_pages=_max_empty_pages(raw, at))


def _first(names: set[str], candidates: tuple[str, ...]) -> str | None:
    return next((c for c in candidates if c in names), None)


def _fields(type_: t.TypeRef | None, models: dict[str, m.Model]) -> dict[str, t.TypeRef] | None:
    """The wire-named fields of an object type, or None when it is not an object."""
    while isinstance(type_, t.Nullable):
        type_ = type_.inner
    if not isinstance(type_, t.Ref):
        return None
    model = models.get(type_.name)
    if isinstance(model, m.AliasModel):
        return _fields(model.type, models)
    if not isinstance(model, m.ObjectModel):
        return None
    return {f.name.wire: f.type for f in model.fields}


def _field_path(
    fields: dict[str, t.TypeRef] | None, path: list[str], models: dict[str, m.Model]
) -> t.TypeRef | None:
    """The type at a dotted field path (`data.logs`) through nested objects."""
    found: t.TypeRef | None = None
    for index, part in enumerate(path):
        if fields is None or part not in fields:
            return None
        found = fields[part]
        found = found.inner if isinstance(found, t.Nullable) else found
        if index < len(path) - 1:
            fields = _fields(found, models)
    return found


def _items_field(fields: dict[str, t.TypeRef]) -> tuple[str, t.TypeRef] | None:
    arrays = {}
    for name, type_ in fields.items():
        inner = type_.inner if isinstance(type_, t.Nullable) else type_
        if isinstance(inner, t.Array):
            arrays[name] = inner.items
    if len(arrays) == 1:
        return next(iter(arrays.items()))
    for key in _ITEM_KEYS:
        if key in arrays:
            return key, arrays[key]
    return None


def _override(
    raw: Any,
    at: str,
    fields: dict[str, t.TypeRef] | None,
    response: t.TypeRef,
    models: dict[str, m.Model],
) -> m.Pagination:
    if not isinstance(raw, dict) or raw.get("style") not in _STYLES:
        raise SpecError(f"x-pagination needs a `style`, one of {', '.join(_STYLES)}", at=at)
    items = raw.get("items", "items")
    if fields is None:
        if not isinstance(response, t.Array):
            raise SpecError("x-pagination on an operation whose response is not an object or array", at=at)
        item_type: t.TypeRef = response.items
        items = ""
    else:
        found = _field_path(fields, items.split("."), models)
        if not isinstance(found, t.Array):
            raise SpecError(f"x-pagination items field {items!r} is not an array in the response", at=at)
        item_type = found.items
    defaults = {"page": "page", "offset": "offset", "cursor": "cursor", "page_token": "pageToken"}
    return m.Pagination(
        raw["style"],
        items,
        item_type,
        raw.get("cursor_param") or defaults.get(raw["style"], "cursor"),
        next_field=raw.get("next_field"),
        size_param=raw.get("size_param"),
        has_more_field=raw.get("has_more_field"),
        total_pages_field=raw.get("total_pages_field"),
        total_field=raw.get("total_field"),
        max_empty_pages=_max_empty_pages(raw, at),
    )
