"""The `docs/api.md` views: every operation (signature, arguments, errors, cURL, Python) and every model."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from ...ir import model as m
from ..models import references
from .base import DocsBase
from .runtime import exception_for, next_page
from .text import as_text, cell, code, inline, link, op_anchor, shell_quoted
from .values import FILE_PATH, IDEMPOTENCY_EXAMPLE, Located

Rows = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class OperationDoc:
    anchor: str
    call: str
    summary: str
    description: str
    http: str
    notes: tuple[str, ...]
    signature: str
    params: Rows
    returns: str
    errors: Rows
    curl: str
    python: str
    async_python: str


@dataclass(frozen=True)
class ResourceDoc:
    anchor: str
    indent: str
    heading: str
    op_heading: str
    attribute: str
    description: str
    operations: tuple[OperationDoc, ...]


@dataclass(frozen=True)
class ModelDoc:
    anchor: str
    name: str
    kind: str
    description: str
    fields: Rows
    details: tuple[str, ...]


class ApiReference(DocsBase):
    """The `docs/api.md` views of one API, and the cURL command of each operation."""

    # ---- cURL

    def curl(self, loc: Located) -> str:
        op, pkg = loc.op, self.pkg
        given = {(a.location, a.wire): js for a, _, js in loc.examples}
        url = shell_quoted(
            next((s.url for s in self.api.alt_servers if s.name == op.server), self.api.base_url).rstrip("/")
        )
        for piece in re.split(r"(\{[^{}]+\})", op.path):
            param = next(
                (p for p in op.params if p.location == "path" and "{" + p.name.wire + "}" == piece), None
            )
            if param is not None and param.setting:
                url += self.setting_value(param.setting)
            elif param is not None:
                url += shell_quoted(
                    quote(as_text(given.get(("path", param.name.wire), param.name.python)), safe="")
                )
            else:
                url += shell_quoted(piece)
        pairs = [
            (wire, as_text(v))
            for (where, wire), value in given.items()
            if where == "query"
            for v in (value if isinstance(value, list) else [value])
        ]
        query = shell_quoted(urlencode(pairs))
        key = "${" + pkg.api_key_env + "}" if pkg.api_key_env else "YOUR_API_KEY"
        (kind, name), auth = self.auth, self.sends_auth(op)
        if auth and kind == "query":
            query += ("&" if query else "") + f"{shell_quoted(quote(name))}={key}"
        headers, flags, data = [], [], []
        if auth and kind in ("bearer", "header"):
            headers.append(
                f"Authorization: Bearer {key}" if kind == "bearer" else f"{shell_quoted(name)}: {key}"
            )
        flags += [f'-u "{key}"'] if auth and kind == "basic" else []
        for p in op.params:
            if p.location == "header" and p.setting:
                headers.append(f"{shell_quoted(p.name.wire)}: {self.setting_value(p.setting)}")
            elif p.location == "header" and ("header", p.name.wire) in given:
                headers.append(
                    f"{shell_quoted(p.name.wire)}: {shell_quoted(as_text(given['header', p.name.wire]))}"
                )
        idem = op.idempotency_header
        if idem and not any(h.lower().startswith(idem.lower() + ":") for h in headers):
            headers.append(f"{shell_quoted(idem)}: {IDEMPOTENCY_EXAMPLE}")
        if op.stream is not None:
            flags.insert(0, "-N")
            headers.append("Accept: text/event-stream")
        flags += ["-o output"] if loc.kind == "binary" else []
        body = op.body
        if body is not None and body.kind == "json":
            fields = {w: v for (k, w), v in given.items() if k == "body" and w != "(body)"}
            payload = given.get(("body", "(body)"), fields)
            text = (
                json.dumps(payload, ensure_ascii=False, indent=2).replace("\n", "\n  ").replace("'", "'\\''")
            )
            headers.append(f"Content-Type: {shell_quoted(body.content_type)}")
            data.append(f"-d '{text}'")
        elif body is not None and body.kind in ("multipart", "form"):
            option = "-F" if body.kind == "multipart" else "--data-urlencode"
            for (where, wire), value in given.items():
                for item in value if isinstance(value, list) else [value]:
                    at = "@" if where == "file" else ""
                    data += (
                        [f'{option} "{shell_quoted(wire)}={at}{shell_quoted(as_text(item))}"']
                        if where in ("form", "file")
                        else []
                    )
        elif body is not None:
            headers.append(f"Content-Type: {shell_quoted(body.content_type)}")
            data.append(f"--data-binary @{FILE_PATH}")
        method = "" if op.method == "GET" else f" -X {op.method}"
        first = f'curl{method} "{url}{"?" + query if query else ""}"'
        return " \\\n  ".join([first, *(f'-H "{h}"' for h in headers), *flags, *data])

    # ---- docs/api.md

    def operation(self, loc: Located) -> OperationDoc:
        op, view = loc.op, loc.view
        notes = ["**Deprecated.**"] if op.deprecated else []
        if op.server:
            url = next(s.url for s in self.api.alt_servers if s.name == op.server)
            notes.append(f"Sent to the `{op.server}` host: `{op.server}_base_url=` (default `{url}`).")
        if op.pagination is not None:
            page = op.pagination
            notes.append(
                f"Paginated (`{page.style}`): iterating the result walks every item of every page, and "
                f"`iter_pages()` yields each page's body. Items: `{page.items or '(the body)'}`; the next "
                f"page is asked for with {next_page(page)}."
            )
        if op.stream is not None:
            notes.append(self.stream_note(op.stream))
        if op.idempotency_header:
            notes.append(
                f"Sends `{op.idempotency_header}`: a key generated once per call and reused on retries."
            )
        rows = tuple(self.param_row(a) for a in loc.args)
        params = "".join(f"    {p.replace('builtins.', '')},\n" for p in view.params)
        returns, async_returns = (
            view.returns.replace("builtins.", ""),
            view.async_returns.replace("builtins.", ""),
        )
        success = op.call.success.type if op.call.success is not None else None
        item = op.pagination.item_type if op.pagination else op.stream.event if op.stream else None
        names = sorted(references(success) | references(item))
        shown = link(returns) if returns in names else code(returns)
        shown += f" (async: {code(async_returns)})" if async_returns != returns else ""
        others = [link(name) for name in names if name != returns]
        errors = tuple(
            (code(e.status), code(exception_for(e.status)), self.error_cell(e.type)) for e in op.errors
        )
        python, async_python = self.both(loc)
        return OperationDoc(
            anchor=op_anchor(op.id),
            call=f"client.{loc.attribute}",
            summary=inline(op.summary),
            description=inline(op.description) if op.description != op.summary else "",
            http=f"{op.method} {op.path}",
            notes=tuple(notes),
            signature=f"client.{loc.attribute}(\n    *,\n{params}) -> {returns}",
            params=rows,
            returns=shown + (f"; see {', '.join(others)}" if others else ""),
            errors=errors,
            curl=self.curl(loc),
            python=python,
            async_python=async_python,
        )

    def stream_note(self, stream: m.Stream) -> str:
        event = self.annotation(stream.event)
        text = f"Streams server-sent events as `{event}` (typed by `{stream.event_type}`)"
        text += "; ends after " + ", ".join(f"`{x}`" for x in stream.terminal) if stream.terminal else ""
        text += "; skips " + ", ".join(f"`{x}`" for x in stream.heartbeat) if stream.heartbeat else ""
        return f"{text}; after a dropped connection it {self.resume_note(stream.resume)}."

    def resume_note(self, resume: m.Resume | None) -> str:
        """Whether a stream resumes after a drop, and how (the same words in README.md and api.md)."""
        if resume is not None and resume.header:
            return f"resumes: reconnects with `{resume.header}: <last event id>`"
        if resume is not None and resume.query:
            last = f"the last event's {resume.field}" if resume.field else "the last event id"
            return f"resumes: reconnects with `{resume.query}=<{last}>`"
        return (
            "cannot resume: raises `APIConnectionError` (`APITimeoutError` after "
            "`stream_read_timeout` without a byte)"
        )

    def model(self, x: m.Model, base: str = "") -> ModelDoc:
        details, rows = [], []
        if isinstance(x, m.ObjectModel):
            for f in x.fields:
                notes = [inline(f.description), "Read-only." * f.read_only, "Deprecated." * f.deprecated]
                notes.append(
                    f"Default: `{json.dumps(f.default, ensure_ascii=False)}`." if f.has_default else ""
                )
                annotation = code(self.annotation(f.type, not f.required))
                text = cell(" ".join(n for n in notes if n))
                rows.append(
                    (code(f.name.python), code(f.name.wire), annotation, "yes" * f.required or "no", text)
                )
        elif isinstance(x, m.EnumModel):
            details.append(
                "Values: " + ", ".join(code(json.dumps(v.value, ensure_ascii=False)) for v in x.members)
            )
        elif isinstance(x, m.UnionModel):
            variants = (self.links(v, base=base) or code(self.annotation(v)) for v in x.variants)
            details.append("One of: " + ", ".join(variants) + ".")
            if x.discriminator is not None:
                pairs = ", ".join(f"`{tag}` → {link(name, base)}" for tag, name in x.discriminator.mapping)
                details.append(f"Tagged by `{x.discriminator.wire}`" + (f": {pairs}." if pairs else "."))
        else:
            details.append(f"Type: {code(self.annotation(x.type))}.")
        kind = {"object": "Object", "enum": "Enum", "union": "Union", "alias": "Alias"}[x.kind]
        return ModelDoc(f"model-{x.name}", x.name, kind, inline(x.description), tuple(rows), tuple(details))

    def resources(self) -> list[ResourceDoc]:
        docs = []
        for resource, path, level, ops in self.groups:
            description = inline(resource.description) if resource is not None else ""
            anchor = "resource-" + ("-".join(path) or "client")
            heading, op_heading = "#" * (level + 2), "#" * (level + 3)
            attribute, operations = ".".join(("client", *path)), tuple(self.operation(loc) for loc in ops)
            docs.append(
                ResourceDoc(anchor, "  " * level, heading, op_heading, attribute, description, operations)
            )
        return docs
