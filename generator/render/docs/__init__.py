"""IR -> the package's docs: `README.md` (a section per capability) and `docs/api.md` (operations, models)."""

# Every example is built from the IR and the finished method views (argument names are checked against the
# signatures), so the docs say what the generated code does.

from __future__ import annotations

import re

import jinja2

from ..realtime import RealtimeDoc, extra_dependencies
from ..testing import KitView
from .base import DocsBase
from .readme import Docs, Section
from .reference import ApiReference, ModelDoc, OperationDoc, ResourceDoc, Rows
from .runtime import (
    IDEMPOTENT_METHODS,
    RETRY_AFTER_CAP,
    RETRY_INITIAL,
    RETRY_JITTER,
    RETRY_MAXIMUM,
    STATUS_ERRORS,
    exception_for,
)
from .testing import testing
from .text import Imports, cell, code, inline, link, op_anchor, prose, render_imports
from .values import FILE_PATH, IDEMPOTENCY_EXAMPLE, Arg, Located, Values, arguments, documented


def render_docs(
    env: jinja2.Environment,
    docs: Docs,
    header: str,
    realtime: RealtimeDoc | None,
    kit: KitView,
) -> dict[str, str]:
    """The `README.md` and `docs/api.md` entries of a package's file map (`realtime`: the README view of
    the sessions and webhooks the code was rendered with; `kit`: the test kit's, for its section)."""
    api = docs.api
    pkg = api.package
    common = {"header": header, "api": api, "package": pkg, "config": docs.config()}
    envs = [pkg.api_key_env if docs.auth[0] != "none" else None, pkg.base_url_env]
    envs += [s.env for s in api.settings] + [s.env for s in api.alt_servers]
    named = [f"`{e}`" for e in envs if e]
    models = sorted(api.models, key=lambda x: x.name)
    sections = docs.readme()
    error_models = [x for x in models if x.name in sections["errors"].notes]
    readme = env.get_template("package/README.md.j2").render(
        **common,
        **sections,
        description=inline(api.description.split("\n\n")[0]) if api.description else "",
        models={x.name: docs.model(x, base="docs/api.md") for x in error_models},
        retry={
            "statuses": _and([f"`{status}`" for status in pkg.retry_statuses]),
            "initial": f"{RETRY_INITIAL:g}",
            "jitter": f"{RETRY_JITTER * 100:g}",
            "maximum": f"{RETRY_MAXIMUM:g}",
            "cap": f"{RETRY_AFTER_CAP:g}",
        },
        timeout=f"{pkg.timeout:g}",
        realtime=realtime,
        testing=testing(docs, kit.handles, kit.mock_class, kit.fixture),
        dependencies=_and(
            [f"`{re.split('[<>=]', d)[0]}`" for d in ["httpx", "pydantic", *extra_dependencies(api)]]
        ),
    )
    reference = env.get_template("package/docs/api.md.j2").render(
        **common,
        resources=docs.resources(),
        models=[docs.model(x) for x in models],
        env_text=_and(named) or "nothing",
        realtime=realtime,
    )
    return {"README.md": readme, "docs/api.md": reference}


__all__ = [
    "FILE_PATH",
    "IDEMPOTENCY_EXAMPLE",
    "IDEMPOTENT_METHODS",
    "RETRY_AFTER_CAP",
    "RETRY_INITIAL",
    "RETRY_JITTER",
    "RETRY_MAXIMUM",
    "STATUS_ERRORS",
    "ApiReference",
    "Arg",
    "Docs",
    "DocsBase",
    "Imports",
    "Located",
    "ModelDoc",
    "OperationDoc",
    "ResourceDoc",
    "Rows",
    "Section",
    "Values",
    "arguments",
    "cell",
    "code",
    "documented",
    "exception_for",
    "inline",
    "link",
    "op_anchor",
    "prose",
    "render_docs",
    "render_imports",
]


def _and(items: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return ", ".join(items[:-1]) + " and " * (len(items) > 1) + "".join(items[-1:])
