"""`docs/openapi.codesamples.json`: the OpenAPI document as it was read, with our Python samples as
`x-codeSamples` on every documented operation, for teams who publish with Scalar, Redoc or a hosted product.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from ..docs import ApiReference

PATH = "docs/openapi.codesamples.json"


def _node(data: Any, pointer: str) -> Any:
    """The object at a JSON pointer (`/paths/~1things/get`)."""
    node = data
    for token in pointer.lstrip("#").split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def with_code_samples(data: dict[str, Any], docs: ApiReference) -> str:
    """The document with `x-codeSamples` (Python, then Python async, from the `docs/api.md` samples)."""
    document = copy.deepcopy(data)
    for loc in docs.located:
        if not loc.op.pointer:
            continue
        try:
            operation = _node(document, loc.op.pointer)
        except (KeyError, IndexError, TypeError, ValueError):  # an operation under a `$ref`'d path item
            continue
        python, async_python = docs.both(loc)
        operation["x-codeSamples"] = [
            {"lang": "Python", "label": "Python", "source": python},
            {"lang": "Python", "label": "Python (async)", "source": async_python},
        ]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
