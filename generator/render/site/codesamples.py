"""`docs/openapi.codesamples.json`: the OpenAPI document as it was read, with our Python samples as
`x-codeSamples` on every documented operation, for teams who publish with Scalar, Redoc or a hosted product.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from ...errors import SpecError
from ...load import resolve_pointer
from ..docs import ApiReference

PATH = "docs/openapi.codesamples.json"


def with_code_samples(data: dict[str, Any], docs: ApiReference) -> str:
    """The document with `x-codeSamples` (Python, then Python async, from the `docs/api.md` samples)."""
    document = copy.deepcopy(data)
    for loc in docs.located:
        if not loc.op.pointer:
            continue
        try:
            operation = resolve_pointer(document, "#" + loc.op.pointer.lstrip("#"))
        except SpecError:  # an operation under a `$ref`'d path item
            continue
        python, async_python = docs.both(loc)
        operation["x-codeSamples"] = [
            {"lang": "Python", "label": "Python", "source": python},
            {"lang": "Python", "label": "Python (async)", "source": async_python},
        ]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
