"""IR -> JSON, deterministic: field order is declaration order, no sets, no hashes."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from . import types

_TYPE_KINDS: dict[type, str] = {
    types.Primitive: "primitive",
    types.Literal: "literal",
    types.Array: "array",
    types.Map: "map",
    types.Ref: "ref",
    types.Union: "union",
    types.Nullable: "nullable",
}


# Kept even when empty: an empty wire name or an empty `security` list (no auth) means something.
_ALWAYS_KEPT = frozenset({"python", "wire", "required"})


def to_jsonable(value: Any) -> Any:
    """Turn IR values into plain JSON data; type expressions get a `type` tag, empty values are dropped."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        kind = _TYPE_KINDS.get(type(value))
        if kind is not None:
            out["type"] = kind
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if f.name in _ALWAYS_KEPT or (f.name == "default" and getattr(value, "has_default", False)):
                out[f.name] = to_jsonable(item)
                continue
            if f.name == "security" and item == ():
                out[f.name] = []
                continue
            if item is None or item == () or item == "" or item is False:
                continue
            out[f.name] = to_jsonable(item)
        return out
    if isinstance(value, tuple | list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


def to_json(value: Any) -> str:
    return json.dumps(to_jsonable(value), indent=2, ensure_ascii=False) + "\n"
