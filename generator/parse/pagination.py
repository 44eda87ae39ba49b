"""Which pagination style an operation uses, and every name it pages with, from its parameters and response.

The table in docs/spec-conventions.md is the contract; `x-pagination` on the operation overrides it. A style
is one rule in `RULES`. Whatever the rule or the override leaves open (the page size parameter, the fields
that say where iteration ends, the item field a sequence continues from) is read from the schemas here, so
the generated `PageSpec` names everything and the runtime never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, get_args

from ..errors import SpecError
from ..ir import model as m
from ..ir import types as t


@dataclass(frozen=True)
class Rule:
    """How one style is recognised: the request names that ask for the next page (the first present wins)
    and the response fields that carry the next token.

    `in_body`: the request name is a JSON body property, not a query parameter. `needs_next`: only when the
    response has one of `next_fields`. `needs_end`: only when the query has a page size or the response says
    where iteration ends (a bare `page` parameter is too common to mean pagination on its own).
    """

    params: tuple[str, ...]
    next_fields: tuple[str, ...] = ()
    in_body: bool = False
    needs_next: bool = False
    needs_end: bool = False


_CURSOR_NEXT = ("next_cursor", "nextCursor", "next")
RULES: dict[m.PageStyle, Rule] = {  # in detection order: the first that matches wins
    "page_token": Rule(("pageToken", "page_token"), ("nextPageToken", "next_page_token"), needs_next=True),
    "cursor": Rule(("cursor", "after", "starting_after", "page_after"), _CURSOR_NEXT, needs_next=True),
    "body_cursor": Rule(("cursor",), _CURSOR_NEXT, in_body=True, needs_next=True),
    "sequence": Rule(
        ("since_sequence", "after_sequence", "sinceSequence", "afterSequence"),
        ("next_sequence", "nextSequence"),
    ),
    "page": Rule(("page",), needs_end=True),
    "offset": Rule(("offset",)),
}
_SIZE_PARAMS = ("page_size", "pageSize", "per_page", "perPage", "limit", "size")
_HAS_MORE = ("has_more", "hasMore", "has_next", "hasNext", "has_next_page", "hasNextPage")
_TOTAL_PAGES = ("total_pages", "totalPages", "pages")
_TOTAL = ("total", "total_count", "totalCount", "total_items", "totalItems", "total_results", "totalResults")
_SEQUENCE = "sequence"  # the item field a `sequence` page continues from when the response names no next
_ITEM_KEYS = ("items", "data", "results")
_TUNING = frozenset({"max_empty_pages", "total_field", "start"})  # x-pagination keys that keep detection


@dataclass(frozen=True)
class _Shape:
    """What detection looks at: the query parameters, the JSON body's and the response's wire-named fields."""

    query: set[str]
    body: set[str]
    response: dict[str, t.TypeRef]
    models: dict[str, m.Model]

    def request(self, rule: Rule) -> str | None:
        return _first(self.body if rule.in_body else self.query, rule.params)


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
    fields = _fields(success.type, models)
    body_fields = _fields(body.type, models) if body is not None and body.kind == "json" else None
    shape = _Shape(
        {p.name.wire for p in params if p.location == "query"}, set(body_fields or ()), fields or {}, models
    )
    override = operation.get("x-pagination")
    at += "/x-pagination"
    tuning_only = isinstance(override, dict) and "style" not in override and set(override) <= _TUNING
    if override is not None and not tuning_only:
        return _override(override, at, shape, fields, success.type)
    found = _detected(shape, fields, success.type)
    if found is None or override is None:
        return found
    return _tune(found, override, at, fields)  # only tuning keys: detected as usual, then tuned


def _detected(shape: _Shape, fields: dict[str, t.TypeRef] | None, response: t.TypeRef) -> m.Pagination | None:
    if fields is None:  # a list body pages by offset alone
        if isinstance(response, t.Array) and "offset" in shape.query:
            return _resolve(shape, "offset", response.items, None, "offset", {})
        return None
    items = _items_field(fields)
    if items is None:
        return None
    items_name, item_type = items
    names = set(fields)
    for style, rule in RULES.items():
        request = shape.request(rule)
        if request is None or (rule.needs_next and _first(names, rule.next_fields) is None):
            continue
        if rule.needs_end and not (
            _first(shape.query, _SIZE_PARAMS) or _first(names, (*_HAS_MORE, *_TOTAL_PAGES, "total"))
        ):
            continue
        return _resolve(shape, style, item_type, items_name, request, {})
    return None


def _resolve(
    shape: _Shape,
    style: m.PageStyle,
    item_type: t.TypeRef,
    items: str | None,
    request: str,
    given: dict[str, Any],
) -> m.Pagination:
    """The pagination with every name `given` by `x-pagination`, else found in the schemas (None: absent)."""
    names = set(shape.response)
    item_fields = _fields(item_type, shape.models) or {}

    def name(key: str, found: str | None) -> str | None:
        value = given.get(key)
        return found if value is None else str(value)

    return m.Pagination(
        style,
        item_type,
        items,
        request,
        size_param=name("size_param", _first(shape.query, _SIZE_PARAMS)),
        next_field=name("next_field", _first(names, RULES[style].next_fields)),
        has_more_field=name("has_more_field", _first(names, _HAS_MORE)),
        total_pages_field=name("total_pages_field", _first(names, _TOTAL_PAGES)),
        total_field=name("total_field", _total_field(shape.response) if style == "offset" else None),
        sequence_field=name(
            "sequence_field", _SEQUENCE if style == "sequence" and _SEQUENCE in item_fields else None
        ),
    )


def _total_field(fields: dict[str, t.TypeRef]) -> str | None:
    """The response field counting the items of all pages: an integer named like `total`."""
    for name in _TOTAL:
        type_ = fields.get(name)
        type_ = type_.inner if isinstance(type_, t.Nullable) else type_
        if isinstance(type_, t.Primitive) and type_.kind == "integer":
            return name
    return None


def _count(raw: dict[str, Any], key: str, minimum: int, at: str) -> int | None:
    """The integer tuning key `key` (at least `minimum`), or None when it is absent."""
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise SpecError(f"x-pagination {key} must be an integer of at least {minimum}", at=at)
    return value


def _tune(
    found: m.Pagination, raw: dict[str, Any], at: str, fields: dict[str, t.TypeRef] | None
) -> m.Pagination:
    """A pagination with the `x-pagination` tuning keys applied."""
    total = raw.get("total_field", found.total_field)
    if total is not None and (fields is None or total not in fields):
        raise SpecError(f"x-pagination total_field {total!r} is not a field of the response", at=at)
    start = _count(raw, "start", 0, at)
    return replace(
        found,
        total_field=total,
        start=found.start if start is None else start,
        max_empty_pages=_count(raw, "max_empty_pages", 1, at),
    )


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
    raw: Any, at: str, shape: _Shape, fields: dict[str, t.TypeRef] | None, response: t.TypeRef
) -> m.Pagination:
    """The pagination `x-pagination` states; the names it leaves out are found as detection finds them.

    `request_param` was once spelled `cursor_param`; both are accepted.
    """
    styles = get_args(m.PageStyle)
    if not isinstance(raw, dict) or raw.get("style") not in styles:
        raise SpecError(f"x-pagination needs a `style`, one of {', '.join(styles)}", at=at)
    style: m.PageStyle = raw["style"]
    items: str | None = raw.get("items", "items")
    if fields is None:
        if not isinstance(response, t.Array):
            raise SpecError("x-pagination on an operation whose response is not an object or array", at=at)
        item_type: t.TypeRef = response.items
        items = None
    else:
        found = _field_path(fields, str(items).split("."), shape.models)
        if not isinstance(found, t.Array):
            raise SpecError(f"x-pagination items field {items!r} is not an array in the response", at=at)
        item_type = found.items
    rule = RULES[style]
    request = raw.get("request_param") or raw.get("cursor_param") or shape.request(rule) or rule.params[0]
    return _tune(_resolve(shape, style, item_type, items, str(request), raw), raw, at, fields)
