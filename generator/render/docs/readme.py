"""The `README.md` views: configuration, the quick start and a section per capability the API has."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...ir import model as m
from ...ir import types as t
from ..annotations import python_string
from ..client import has_streams
from ..models import model_references, references
from .observability import observability
from .reference import ApiReference, Rows
from .runtime import exception_for, next_page
from .text import Imports, call_lines, cell, code, link, op_anchor, prose
from .values import Located


@dataclass(frozen=True)
class Section:
    """A README section about one capability: a table, code examples and a few finished phrases."""

    rows: Rows = ()
    examples: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class Docs(ApiReference):
    """Builds the doc views of one API from its IR and the finished method views (the README sections here;
    the `docs/api.md` views and the shared state in its bases)."""

    # ---- README.md

    def pick(self, candidates: list[Located]) -> Located | None:
        """The simplest operation: a GET, few required arguments, plain JSON, the main host, a short path."""
        rank = {"json": 0, "page": 1, "empty": 2, "binary": 3, "stream": 4}
        return min(
            candidates,
            key=lambda x: (
                x.op.method != "GET",
                len(x.examples),
                rank[x.kind],
                x.op.server is not None,
                x.op.path.count("/"),
                len(x.op.path),
                x.op.id,
            ),
            default=None,
        )

    def row(self, loc: Located, *cells: str) -> tuple[str, ...]:
        method = f"[`client.{loc.attribute}`](docs/api.md#{op_anchor(loc.op.id)})"
        return (method, code(f"{loc.op.method} {loc.op.path}"), *cells)

    def config(self) -> list[tuple[str, ...]]:
        pkg, (kind, name) = self.pkg, self.auth
        sent = {
            "bearer": "`Authorization: Bearer <api_key>`",
            "header": f"the `{name}` header",
            "query": f"the `{name}` query parameter",
            "basic": "HTTP Basic credentials (`user:password`)",
        }
        env = code(pkg.api_key_env) if pkg.api_key_env else "—"
        rows = [("`api_key`", env, "—", f"The API key, sent as {sent[kind]}.")] if kind != "none" else []
        for s in self.api.settings:
            where = f"Sent as the `{s.wire}` {s.location} parameter by the operations that declare it"
            text = f"{prose(s.description)} {where}{' (they require it)' if s.required else ''}."
            rows.append((code(s.name), code(s.env) if s.env else "—", "—", text.lstrip()))
        url_env = code(pkg.base_url_env) if pkg.base_url_env else "—"
        rows.append(("`base_url`", url_env, code(self.api.base_url), "Where requests are sent."))
        for server in self.api.alt_servers:
            text = f"Where the operations of the `{server.name}` host are sent. {prose(server.description)}"
            env = code(server.env) if server.env else "—"
            rows.append((code(f"{server.name}_base_url"), env, code(server.url), text.strip()))
        return [
            *rows,
            ("`timeout`", "—", f"`{pkg.timeout:g}`", "Seconds per request, or an `httpx.Timeout`."),
            ("`max_retries`", "—", f"`{pkg.max_retries}`", "Retries of a failed request."),
            ("`retry`", "—", "—", "A `RetryPolicy`: backoff, jitter and the longest `Retry-After` obeyed."),
            *(
                [
                    (
                        "`stream_read_timeout`",
                        "—",
                        f"`{pkg.stream_read_timeout!r}`",
                        "Seconds a stream waits for its next bytes (`None`: no limit); also per call.",
                    )
                ]
                if has_streams(self.api)
                else []
            ),
            ("`default_headers`", "—", "—", "Headers sent with every request."),
            ("`default_query`", "—", "—", "Query parameters sent with every request."),
            (
                "`hooks`",
                "—",
                "—",
                "`Hooks` run before each attempt and after each response (README: Observability).",
            ),
            (
                "`tracing`",
                "—",
                "`True`",
                "Whether calls are OpenTelemetry spans, when a tracer provider is set.",
            ),
            (
                "`http_client`",
                "—",
                "—",
                "Your own `httpx.Client` (`httpx.AsyncClient`); the client will not close it.",
            ),
        ]

    def ctor(self, imports: Imports, *, explicit: bool) -> tuple[str, ...]:
        """Constructor arguments: the API key from its variable and the required settings, or all of them."""
        pkg, lines = self.pkg, []
        if self.auth[0] != "none" and pkg.api_key_env:
            imports.add(("os", ""))
            lines.append(f"api_key=os.environ.get({python_string(pkg.api_key_env)}),")
            lines[-1] += "" if explicit else "  # the default; can be omitted"
        for s in self.api.settings:
            if s.required or explicit:
                value = python_string("my-" + s.name.replace("_", "-"))
                lines.append(f"{s.name}={value}," + (f"  # or set {s.env}" if s.env else ""))
        if explicit:
            imports.add(("httpx", ""))
            lines.append(f"base_url={python_string(self.api.base_url)},")
            lines += [f"{s.name}_base_url={python_string(s.url)}," for s in self.api.alt_servers]
            imports.add((pkg.import_name, "RetryPolicy"))
            lines += [
                f"timeout=httpx.Timeout({pkg.timeout!r}, connect=5.0),",
                f"max_retries={pkg.max_retries},",
                "retry=RetryPolicy(initial_delay=0.5, max_delay=8.0, max_retry_after=60.0),",
            ]
        return tuple(lines)

    def readme(self) -> dict[str, Any]:
        quick = self.pick([x for x in self.located if x.kind in ("json", "page", "empty")]) or self.pick(
            self.located
        )
        imports: Imports = set()
        quick_imports: Imports = set()
        quick_ctor = self.ctor(quick_imports, explicit=False)
        ctor = self.ctor(imports, explicit=True)
        config = [
            "# a copy with other options, sharing the connection pool",
            "patient = client.with_options(max_retries=5)",
            "# fields a RetryPolicy leaves out keep the client's values",
            "batch = client.with_options(retry=RetryPolicy(initial_delay=2.0, max_retry_after=300.0))",
        ]
        servers = [
            f"`{s.url}`" + (f": {cell(s.description)}" if s.description else "") for s in self.api.servers[1:]
        ]
        return {
            "config_example": self.program(config, imports, is_async=False, ctor=ctor),
            "servers": servers,
            "setting_names": ", ".join(f"`{s.name}=`" for s in self.api.settings),
            "quick": quick and Section(examples=self.both(quick, quick_ctor, quick_imports)),
            "pagination": self.pagination(),
            "unions": self.unions(),
            "streaming": self.streaming(),
            "errors": self.errors(),
            "idempotency": self.idempotency(),
            "raw": quick and self.raw(quick),
            "retries": quick
            and Section(
                examples=self.both(
                    quick,
                    imports={(self.pkg.import_name, "RetryPolicy")},
                    extra=(("timeout", "10.0"), ("retry", "RetryPolicy(max_retries=0)")),
                )[:1]
            ),
            "files": self.files(),
            "logging": self.logging(),
            "observability": quick and observability(self, quick, quick_ctor, quick_imports),
        }

    def pagination(self) -> Section | None:
        pages = [x for x in self.located if x.op.pagination is not None]
        loc = self.pick(pages)
        if loc is None:
            return None
        rows = []
        for x in pages:
            page = x.op.pagination
            assert page is not None
            rows.append(self.row(x, f"`{page.style}`", next_page(page), code(page.items or "(the body)")))
        first = [*call_lines("first_page = ", f"client.{loc.attribute}", loc.call_args())]
        more = ["print(first_page.items, first_page.has_next_page())"]
        walk = ["for body in first_page.iter_pages():", "    print(body)"]
        sync = self.program([*first, *more, *walk], loc.imports, is_async=False)
        awaited = [first[0].replace("= ", "= await ", 1), *first[1:], *more, "async " + walk[0], walk[1]]
        return Section(
            tuple(rows), (*self.both(loc), sync, self.program(awaited, loc.imports, is_async=True))
        )

    def unions(self) -> Section | None:
        """The tagged unions that keep a variant this client does not know as `UnknownVariant`."""
        opened = [x for x in self.api.models if self.annotator.open_union_tag(x) is not None]
        if not opened:
            return None
        rows = []
        for union in opened:
            assert isinstance(union, m.UnionModel) and union.discriminator is not None
            tags = ", ".join(code(tag) for tag, _ in union.discriminator.mapping)
            rows.append((code(union.name), code(union.discriminator.wire), tags))
        first = opened[0]
        assert isinstance(first, m.UnionModel)
        variant = next(v.name for v in first.variants if isinstance(v, t.Ref))
        pkg = self.pkg.import_name
        imports: Imports = {
            (pkg, "UnknownVariant"),
            (f"{pkg}.models", first.name),
            (f"{pkg}.models", variant),
        }
        body = [
            "",
            f"def describe(value: {first.name}) -> str:",
            "    match value:",
            f"        case {variant}():",
            f'            return "a {variant}"',
            "        case UnknownVariant(tag=tag, data=data):",
            '            return f"a {tag!r} this client does not know yet: {data}"',
            "        case _:",
            "            return type(value).__name__",
        ]
        return Section(tuple(rows), (self.program(body, imports, is_async=False, client=False),))

    def streaming(self) -> Section | None:
        streams = [x for x in self.located if x.op.stream is not None]
        loc = self.pick(streams)
        if loc is None:
            return None
        rows = []
        for x in streams:
            s = x.op.stream
            assert s is not None
            terminal = ", ".join(f"`{e}`" for e in s.terminal) or "— (the server closes the stream)"
            rows.append(self.row(x, code(self.annotation(s.event)), terminal, self.resume_note(s.resume)))
        return Section(tuple(rows), self.both(loc))

    def errors(self) -> Section:
        """Documented statuses with their exception and models; the error models; an example."""
        by_status: dict[str, set[str]] = {}
        for x in self.located:
            for e in x.op.errors:
                by_status.setdefault(e.status, set()).update(references(e.type))
        statuses = sorted(by_status, key=lambda s: (not s.isdigit(), s))
        base = "docs/api.md"
        rows = tuple(
            (code(s), code(exception_for(s)), ", ".join(link(n, base) for n in sorted(by_status[s])) or "—")
            for s in statuses
        )
        models = sorted(set().union(*by_status.values()))
        for name in models:  # and every model they are made of
            models += sorted(model_references(self.values.models[name]) - set(models))
        return Section(rows, (self.error_example(),), tuple(models))

    def error_model(self, type_: t.TypeRef | None) -> m.ObjectModel | None:
        target = self.values.models.get(type_.name) if isinstance(type_, t.Ref) else None
        if isinstance(target, m.UnionModel):
            return next(filter(None, map(self.error_model, target.variants)), None)
        return target if isinstance(target, m.ObjectModel) else None

    def error_example(self) -> str:
        """A call of an operation documenting an error model (a 404 if any), catching what it can raise."""
        found = [
            ((e.status != "404", len(x.examples), x.op.method != "GET", x.op.id), x, e.status, model)
            for x in self.located
            if x.kind in ("json", "empty")
            for e in x.op.errors
            if exception_for(e.status) != "APIStatusError" and (model := self.error_model(e.type))
        ]
        quick = self.pick(self.located)
        if not found and quick is None:
            return ""
        _, loc, status, model = min(found, key=lambda f: f[0]) if found else ((), quick, "", None)
        assert loc is not None
        pkg, cls = self.pkg.import_name, exception_for(status)
        imports = loc.imports | {
            (pkg, "APIConnectionError"),
            (pkg, "APIStatusError"),
            (pkg, "RateLimitError"),
        }
        body = ["try:", *(f"    {line}" for line in self.usage(loc, is_async=False))]
        if model is not None:
            imports |= {(pkg, cls), (f"{pkg}.models", model.name)}
            detail = f"exc.error.{model.fields[0].name.python}" if model.fields else "exc.error"
            body += [
                f"except {cls} as exc:",
                "    print(exc.status_code, exc.request_id, exc.message)",
                f"    if isinstance(exc.error, {model.name}):",
                f"        print({detail})",
            ]
        if cls != "RateLimitError":
            body += ["except RateLimitError as exc:", "    print(exc.retry_after)"]
        body += ["except APIStatusError as exc:", "    print(exc.status_code, exc.body)"]
        body += ["except APIConnectionError as exc:", "    print(exc.message)"]
        return self.program(body, imports, is_async=False)

    def idempotency(self) -> Section | None:
        ops = [x for x in self.located if x.op.idempotency_header]
        loc = self.pick(ops)
        if loc is None or loc.op.idempotency_header is None:
            return None
        header = loc.op.idempotency_header
        rows = tuple(self.row(x, code(x.op.idempotency_header or "")) for x in ops)
        arg = next((a for a in loc.args if a.location == "header" and a.wire.lower() == header.lower()), None)
        value = "str(uuid.uuid4())"
        extra = (arg.python, value) if arg else ("extra_headers", f"{{{python_string(header)}: {value}}}")
        example = self.both(loc, imports={("uuid", "")}, extra=(extra,))[0]
        return Section(rows, (example,), (f"as `{arg.python}=`" if arg else "in `extra_headers`",))

    def raw(self, loc: Located) -> Section:
        body = [
            *call_lines("response = ", f"client.with_raw_response.{loc.attribute}", loc.call_args()),
            'print(response.status_code, response.headers.get("content-type"), response.request_id)',
            "print(response.rate_limit.remaining, response.retries_taken, response.elapsed)",
            "print(response.parse())",
        ]
        declared = {h.name for x in self.located for r in x.op.responses for h in r.headers}
        headers = sorted(h for h in declared if re.search(r"(?i)ratelimit|retry-after|request-id", h))
        return Section(
            (), (self.program(body, loc.imports, is_async=False),), tuple(f"`{h}`" for h in headers)
        )

    def files(self) -> Section | None:
        uploads = [x for x in self.located if any(a.location in ("file", "content") for a in x.args)]
        downloads = [x for x in self.located if x.kind == "binary"]
        if not uploads and not downloads:
            return None
        rows = [
            self.row(
                x, "upload", ", ".join(code(a.python) for a in x.args if a.location in ("file", "content"))
            )
            for x in uploads
        ]
        rows += [self.row(x, "download", code(x.view.returns)) for x in downloads]
        examples = tuple(self.both(x)[0] for x in (self.pick(uploads), self.pick(downloads)) if x is not None)
        return Section(tuple(rows), examples)

    def logging(self) -> Section:
        kind, name = self.auth
        settings = self.api.settings
        headers = {"Authorization", "Cookie", *(s.wire for s in settings if s.location == "header")}
        headers |= {name} if kind == "header" else set()
        params = sorted(
            {*([name] if kind == "query" else []), *(s.wire for s in settings if s.location == "query")}
        )
        logger = python_string(self.pkg.import_name)
        body = ["logging.basicConfig()", f"logging.getLogger({logger}).setLevel(logging.DEBUG)"]
        example = self.program(body, {("logging", "")}, is_async=False, client=False)
        return Section(
            (),
            (example,),
            (", ".join(f"`{h}`" for h in sorted(headers)), ", ".join(f"`{p}`" for p in params)),
        )
