"""The examples a schema gives (`examples`, `example`), as JSON values a generated model can carry."""

from __future__ import annotations

import json
import math
from typing import Any

from ..ir import model as m


def examples_of(schema: dict[str, Any]) -> tuple[m.JsonValue, ...]:
    """`examples` (3.1, a list) then `example` (3.0), keeping the JSON values other than null."""
    listed = schema.get("examples")
    found = [
        *(listed if isinstance(listed, list) else ()),
        *([schema["example"]] if "example" in schema else ()),
    ]
    kept: dict[str, m.JsonValue] = {}
    for value in found:
        if value is not None and is_json(value):
            kept.setdefault(json.dumps(value, sort_keys=True), value)  # `1` and `true` are two examples
    return tuple(kept.values())


def is_json(value: Any) -> bool:
    """Whether `value` is JSON data (as YAML may give more: timestamps, `.nan`, non-string keys)."""
    if value is None or isinstance(value, bool | int | str):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(is_json(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_json(v) for k, v in value.items())
    return False
