"""The reference site's views: a page per resource (its operations), the models page, the navigation.

Each operation and model is the `docs/api.md` view (`render/docs/reference.py`) with its Markdown turned
into HTML (`markdown.py`); only what api.md does not show (the responses' table, the retry note, the
console's data) is added here, from the IR.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from ...ir import model as m
from ...ir import types as t
from ..docs import IDEMPOTENT_METHODS, ApiReference, Located, OperationDoc, exception_for
from ..models import model_references, references
from .console import enum_values, operation_data, script_json
from .markdown import block_html, inline_html, same_page

MODELS_PER_PAGE = 150
Row = tuple[Markup, ...]
Inline = Callable[[str], Markup]


@dataclass(frozen=True)
class Link:
    href: str
    text: str
    detail: str = ""


@dataclass(frozen=True)
class OperationSection:
    anchor: str
    method: str
    path: str
    call: str
    summary: Markup
    description: Markup
    notes: tuple[Markup, ...]
    signature: str
    params: tuple[Row, ...]
    body: Markup
    responses: tuple[Row, ...]
    curl: str
    python: str
    async_python: str
    data: Markup


@dataclass(frozen=True)
class ResourcePage:
    file: str
    title: str
    level: int
    description: Markup
    operations: tuple[OperationSection, ...]


@dataclass(frozen=True)
class ModelSection:
    anchor: str
    name: str
    kind: str
    description: Markup
    fields: tuple[Row, ...]
    details: tuple[Markup, ...]
    uses: tuple[Link, ...]
    used_by: tuple[Link, ...]


def model_files(names: list[str], limit: int = MODELS_PER_PAGE) -> dict[str, str]:
    """The page of each model: the models sharing their first letter (`models-w.html`), and where more than
    `limit` do, their first two letters (`models-we.html`), and so on, so a large API's pages stay small."""
    files: dict[str, str] = {}

    def split(group: list[str], depth: int) -> None:
        by_prefix: dict[str, list[str]] = {}
        for name in group:
            by_prefix.setdefault(name[:depth].lower(), []).append(name)
        for prefix, members in by_prefix.items():
            if len(members) > limit and any(len(name) > depth for name in members):
                split(members, depth + 1)
            else:
                files.update((name, f"models-{re.sub('[^a-z0-9]', '_', prefix)}.html") for name in members)

    split(sorted(names), 1)
    return files


class SiteViews:
    """The pages of one API's reference, built from its `docs/api.md` views."""

    def __init__(self, docs: ApiReference) -> None:
        self.docs = docs
        self.model_file = model_files([x.name for x in docs.api.models])
        self.pages: list[ResourcePage] = []
        self.used_by: dict[str, list[Link]] = {}
        for resource, doc in zip(docs.groups, docs.resources(), strict=True):
            _, _, level, located = resource
            file = f"{doc.anchor}.html"
            sections = tuple(
                self.operation(loc, op, file) for loc, op in zip(located, doc.operations, strict=True)
            )
            page = ResourcePage(
                file, doc.attribute, level, block_html(doc.description, self.to_models), sections
            )
            self.pages.append(page)

    def model_page(self, name: str) -> str:
        return self.model_file[name]

    def to_models(self, href: str) -> str | None:
        """Links from the pages: a model's anchor is on its models page."""
        name = href.removeprefix("#model-")
        return self.model_file[name] + href if name != href and name in self.model_file else same_page(href)

    def operation(self, loc: Located, doc: OperationDoc, file: str) -> OperationSection:
        op = loc.op

        def md(text: str) -> Markup:
            return inline_html(text, self.to_models)

        for name in self.types_of(loc):
            self.used_by.setdefault(name, []).append(Link(f"{file}#{doc.anchor}", doc.call, doc.http))
        models = self.docs.values.models
        params = []
        for row, arg in zip(doc.params, loc.args, strict=True):
            values = enum_values(arg.type, models)
            shown = ", ".join(self.docs_code(v) for v in values)
            params.append((*map(md, row), md(shown or "—")))
        return OperationSection(
            anchor=doc.anchor,
            method=op.method.upper(),
            path=op.path,
            call=doc.call,
            summary=md(doc.summary),
            description=block_html(doc.description, self.to_models),
            notes=(*map(md, doc.notes), md(self.retry_note(op)), md(f"Returns {doc.returns}.")),
            signature=doc.signature,
            params=tuple(params),
            body=self.body(op, md),
            responses=self.responses(op, md),
            curl=doc.curl,
            python=doc.python,
            async_python=doc.async_python,
            data=script_json(operation_data(self.docs, loc)),
        )

    def docs_code(self, value: object) -> str:
        return "`" + json.dumps(value, ensure_ascii=False).replace("`", "'") + "`"

    def types_of(self, loc: Located) -> set[str]:
        op = loc.op
        types: list[t.TypeRef | None] = [a.type for a in op.call.arguments]
        types += [
            op.body.type if op.body else None,
            *(r.type for r in op.responses),
            *(e.type for e in op.errors),
        ]
        types += [op.pagination.item_type if op.pagination else None, op.stream.event if op.stream else None]
        return set().union(*map(references, types))

    def retry_note(self, op: m.Operation) -> str:
        pkg = self.docs.pkg
        statuses = ", ".join(f"`{s}`" for s in pkg.retry_statuses)
        text = (
            f"Retried up to `max_retries` times (default `{pkg.max_retries}`) after a connection error, "
            f"a timeout or a status {statuses}"
        )
        if op.method.upper() in IDEMPOTENT_METHODS:
            return text + f"; a `{op.method.upper()}` is always retryable."
        if op.idempotency_header:
            return text + "; retryable because it carries an idempotency key."
        return text + "; without an idempotency key, only when the request never reached the server."

    def body(self, op: m.Operation, md: Inline) -> Markup:
        if op.body is None:
            return Markup("")
        annotation = self.docs.annotation(op.body.type)
        shown = self.docs.links(op.body.type) or f"`{annotation}`"
        required = "required" if op.body.required else "optional"
        text = f"`{op.body.content_type}` ({required}): {shown}."
        return Markup(inline_html(text, self.to_models) + block_html(op.body.description, self.to_models))

    def responses(self, op: m.Operation, md: Inline) -> tuple[Row, ...]:
        rows: list[Row] = []
        success = op.call.success
        for r in op.responses:
            if r.status.startswith("2"):
                model = self.docs.error_cell(r.type)
                read = "the result" if success is not None and r.status == success.status else "—"
                rows.append(
                    tuple(md(x) for x in (f"`{r.status}`", r.description, r.content_type or "—", model, read))
                )
        for e in op.errors:
            model = self.docs.error_cell(e.type)
            raises = f"raises `{exception_for(e.status)}`"
            rows.append(tuple(md(x) for x in (f"`{e.status}`", e.description, "—", model, raises)))
        return tuple(rows)

    def models(self) -> list[ModelSection]:
        sections = []
        for x in sorted(self.docs.api.models, key=lambda x: x.name):
            doc = self.docs.model(x)
            sections.append(
                ModelSection(
                    anchor=doc.anchor,
                    name=doc.name,
                    kind=doc.kind,
                    description=block_html(doc.description, self.to_models),
                    fields=tuple(tuple(inline_html(c, self.to_models) for c in row) for row in doc.fields),
                    details=tuple(inline_html(line, self.to_models) for line in doc.details),
                    uses=tuple(
                        Link(f"{self.model_page(n)}#model-{n}", n) for n in sorted(model_references(x))
                    ),
                    used_by=tuple(self.used_by.get(x.name, ())),
                )
            )
        return sections
