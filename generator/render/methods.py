"""One operation -> one finished method (signature, docstring, runtime call), sync and async."""

from __future__ import annotations

from dataclasses import dataclass

from ..ir import model as m
from ..ir import types as t
from ..parse.names import NameScope
from .annotations import Annotator, Needs, enum_values, python_string, python_tuple, renders_float
from .text import clean, docstring

# Keyword arguments every method takes after its own; a spec name equal to one of these is renamed.
OPTION_PARAMS = (
    "extra_headers: Headers | None = None",
    "extra_query: Query | None = None",
    "extra_body: Body | None = None",
    "timeout: TimeoutInput = NOT_GIVEN",
    "retry: RetryPolicy | None = None",
)
# ... and stream methods this one, the read timeout of the stream's requests
STREAM_PARAMS = ("stream_read_timeout: float | NotGiven | None = NOT_GIVEN",)
_RESERVED = {
    "self",
    "extra_headers",
    "extra_query",
    "extra_body",
    "timeout",
    "stream_read_timeout",
    "retry",
    "cast",
    "Any",
}


@dataclass(frozen=True)
class Argument:
    python: str
    annotation: str
    required: bool
    description: str

    none_default: bool = False

    def signature(self) -> str:
        if self.required:
            return f"{self.python}: {self.annotation}"
        if self.none_default:
            return f"{self.python}: {self.annotation} | None = None"
        return f"{self.python}: {self.annotation} | NotGiven = NOT_GIVEN"


@dataclass(frozen=True)
class MethodView:
    name: str
    constant: str
    operation: str
    params: tuple[str, ...]
    returns: str
    async_returns: str
    doc: str
    call: str
    async_call: str
    async_def: bool
    operation_id: str
    # Whether `with_raw_response` offers the method (sessions and webhook checks have no HTTP response).
    raw: bool = True
    # Parameters before the `*` of a resource method (the webhook checks take body and headers so).
    positional: tuple[str, ...] = ()


class MethodBuilder:
    def __init__(self, api: m.Api, annotator: Annotator, object_models: dict[str, m.ObjectModel]) -> None:
        self.api = api
        self.annotator = annotator
        self.object_models = object_models

    def build(
        self, op: m.Operation, constant: str, needs: Needs, receiver: str = "self._client"
    ) -> MethodView:
        """The method for `op`; `receiver` is the runtime client (`self` for methods on the client itself)."""
        scope = NameScope(_RESERVED | {p.name.python for p in op.params})
        arguments: list[Argument] = []
        groups: dict[str, list[tuple[str, str]]] = {
            "path_params": [],
            "query": [],
            "headers": [],
            "settings": [],
        }
        for param in op.params:
            if param.location == "cookie":
                continue
            python = param.name.python if param.name.python not in _RESERVED else param.name.python + "_"
            annotation = self.annotator.render(param.type, needs)
            required = param.required and param.setting is None
            if param.setting is not None:
                annotation = "str"
                groups["settings"].append((param.setting, python))
            else:
                group = {"path": "path_params", "query": "query", "header": "headers"}[param.location]
                groups[group].append((param.name.wire, python))
            arguments.append(Argument(python, annotation, required, _param_doc(param)))
        body_kwargs = self._body(op, scope, arguments, needs)
        arguments.sort(key=lambda a: not a.required)

        returns, cast_to, kind = self._returns(op, needs)
        call_args = [constant]
        call_args += self._kind_args(op, kind, cast_to, needs)
        for group, pairs in groups.items():
            if pairs:
                call_args.append(f"{group}={_dict(pairs)}")
        call_args += body_kwargs
        call_args.append(
            "options=RequestOptions(extra_headers=extra_headers, extra_query=extra_query, "
            "extra_body=extra_body, timeout=timeout, retry=retry)"
        )
        needs.runtime |= {
            "RequestOptions",
            "RetryPolicy",
            "Headers",
            "Query",
            "Body",
            "TimeoutInput",
            "NotGiven",
            "NOT_GIVEN",
        }
        runtime_method = {"page": "get_page", "stream": "stream"}.get(kind, "request")
        invocation = f"{receiver}.{runtime_method}({', '.join(call_args)})"
        sync_returns, async_returns = returns
        needs_cast = kind == "json" and not self._is_class(self._success_type(op))
        if needs_cast:
            needs.typing.add("cast")
        sync_call = f"cast({python_string(sync_returns)}, {invocation})" if needs_cast else invocation
        async_invocation = invocation.replace("cast_to=BinaryResponse", "cast_to=AsyncBinaryResponse")
        if kind == "page":
            async_call = invocation
        else:
            async_call = f"await {async_invocation}"
            if needs_cast:
                async_call = f"cast({python_string(sync_returns)}, await {async_invocation})"
        return MethodView(
            name=op.name.python,
            constant=constant,
            operation=self._operation(op, groups, needs),
            params=tuple(a.signature() for a in arguments)
            + OPTION_PARAMS
            + (STREAM_PARAMS if kind == "stream" else ()),
            returns=sync_returns,
            async_returns=async_returns,
            doc=docstring(_method_doc(op, arguments), "        "),
            call=sync_call,
            async_call=async_call,
            async_def=kind != "page",
            operation_id=op.id,
        )

    # ---- bodies

    def _body(self, op: m.Operation, scope: NameScope, arguments: list[Argument], needs: Needs) -> list[str]:
        body = op.body
        if body is None:
            return []
        if body.kind in ("multipart", "form"):
            form: list[tuple[str, str]] = []
            files: list[tuple[str, str]] = []
            for part in body.parts:
                python = scope.claim(part.name.python)
                annotation = self.annotator.render(part.type, needs, file_parts=True)
                arguments.append(
                    Argument(python, annotation, part.required and body.required, part.description)
                )
                (files if part.is_file else form).append((part.name.wire, python))
            result = []
            if form:
                result.append(f"form={_dict(form)}")
            if files:
                result.append(f"files={_dict(files)}")
            return result
        if body.kind in ("binary", "text"):
            python = scope.claim("content")
            needs.runtime.add("ContentInput")
            arguments.append(
                Argument(
                    python,
                    "ContentInput",
                    body.required,
                    body.description or "The request body.",
                    none_default=True,
                )
            )
            return [f"content={python}"]
        model = self._object_model(body.type)
        if model is None:
            python = scope.claim("body")
            annotation = self.annotator.render(body.type, needs)
            arguments.append(
                Argument(python, annotation, body.required, body.description or "The request body.")
            )
            return [f"json={python}"]
        pairs = []
        for f in model.fields:
            if f.read_only:
                continue
            python = scope.claim(f.name.python)
            annotation = self.annotator.render(f.type, needs)
            arguments.append(Argument(python, annotation, f.required and body.required, _field_doc(f)))
            pairs.append((f.name.wire, python))
        return [f"json={_dict(pairs)}"]

    def _object_model(self, type_: t.TypeRef) -> m.ObjectModel | None:
        if isinstance(type_, t.Ref):
            return self.object_models.get(type_.name)
        return None

    # ---- responses

    def _returns(self, op: m.Operation, needs: Needs) -> tuple[tuple[str, str], str, str]:
        """((sync annotation, async annotation), cast_to expression, kind)."""
        if op.stream is not None:
            event = self.annotator.render(op.stream.event, needs)
            needs.runtime |= {"Stream", "AsyncStream"}
            return (f"Stream[{event}]", f"AsyncStream[{event}]"), event, "stream"
        if op.pagination is not None:
            item = self.annotator.render(op.pagination.item_type, needs)
            needs.runtime |= {"SyncPage", "AsyncPaginator"}
            return (f"SyncPage[{item}]", f"AsyncPaginator[{item}]"), item, "page"
        success = next((r for r in op.responses if r.status.startswith("2")), None)
        if success is None or success.kind == "empty" or success.type is None:
            return ("None", "None"), "type(None)", "empty"
        if success.kind == "binary":
            needs.runtime |= {"BinaryResponse", "AsyncBinaryResponse"}
            return ("BinaryResponse", "AsyncBinaryResponse"), "BinaryResponse", "binary"
        if success.kind == "text":
            return ("str", "str"), "str", "json"
        annotation = self.annotator.render(success.type, needs)
        return (annotation, annotation), annotation, "json"

    def _success_type(self, op: m.Operation) -> t.TypeRef | None:
        success = next((r for r in op.responses if r.status.startswith("2")), None)
        return success.type if success is not None and success.kind == "json" else t.Primitive("string")

    def _is_class(self, type_: t.TypeRef | None) -> bool:
        """Whether the annotation is itself a class (so `cast_to=` types the result without a cast).

        Scalars, models, and `list[...]`/`dict[...]` whatever their items are; unions, literals and
        nullable types are not, and get a `cast`.
        """
        if type_ is None or isinstance(type_, t.Primitive | t.Array | t.Map):
            return True
        if isinstance(type_, t.Literal):
            return renders_float(type_.values)
        if isinstance(type_, t.Ref):
            target = self.annotator.models.get(type_.name)
            if isinstance(target, m.AliasModel):
                return self._is_class(target.type)
            if isinstance(target, m.EnumModel):
                return renders_float(enum_values(target))
            return type_.name in self.object_models
        return False

    def _kind_args(self, op: m.Operation, kind: str, cast_to: str, needs: Needs) -> list[str]:
        if kind == "stream":
            assert op.stream is not None
            needs.runtime.add("StreamSpec")
            event_type = self.annotator.closed(op.stream.event, needs)  # unknown events are skipped
            return [
                f"event_type={event_type}",
                f"stream_spec={_stream_spec(op.stream, needs)}",
                "stream_read_timeout=stream_read_timeout",
            ]
        if kind == "page":
            assert op.pagination is not None
            needs.runtime.add("PageSpec")
            success = next(r for r in op.responses if r.status.startswith("2"))
            assert success.type is not None
            page_type = self.annotator.render(success.type, needs)
            return [
                f"item_type={cast_to}",
                f"page_type={page_type}",
                f"page_spec={_page_spec(op.pagination)}",
            ]
        if kind == "binary":
            return ["cast_to=BinaryResponse"]
        return [f"cast_to={cast_to}"]

    # ---- the Operation constant

    def _operation(self, op: m.Operation, groups: dict[str, list[tuple[str, str]]], needs: Needs) -> str:
        needs.runtime.add("Operation")
        args = [f"method={python_string(op.method)}", f"path={python_string(op.path)}"]
        path_params = [wire for wire, _ in groups["path_params"]]
        path_params += [
            s.wire for s in self.api.settings if s.location == "path" and s.name in dict(groups["settings"])
        ]
        if path_params:
            args.append(f"path_params={python_tuple(path_params)}")
        if groups["settings"]:
            args.append(f"settings={python_tuple([name for name, _ in groups['settings']])}")
        if op.idempotency_header:
            args.append(f"idempotency_header={python_string(op.idempotency_header)}")
        if op.server:
            args.append(f"server={python_string(op.server)}")
        errors = []
        for error in op.errors:
            if error.type is None:
                continue
            key = error.status if not error.status.isdigit() else str(int(error.status))
            key = key if key.isdigit() else python_string(key)
            errors.append(f"{key}: {self.annotator.render(error.type, needs)}")
        if errors:
            args.append("errors={" + ", ".join(errors) + "}")
        if op.security == () or (op.security is None and not self.api.security):
            args.append("auth=False")
        return f"Operation({', '.join(args)})"


def _dict(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{python_string(wire)}: {python}" for wire, python in pairs) + "}"


def _page_spec(page: m.Pagination) -> str:
    args = [
        f"style={python_string(page.style)}",
        f"items={python_string(page.items) if page.items else 'None'}",
    ]
    if page.style == "page":
        args.append(f"page_param={python_string(page.request_param)}")
    elif page.style == "offset":
        args.append(f"offset_param={python_string(page.request_param)}")
    else:
        args.append(f"cursor_param={python_string(page.request_param)}")
    if page.size_param:
        args.append(f"size_param={python_string(page.size_param)}")
    if page.next_field:
        args.append(f"next_field={python_string(page.next_field)}")
    if page.has_more_field:
        args.append(f"has_more_field={python_string(page.has_more_field)}")
    if page.total_pages_field:
        args.append(f"total_pages_field={python_string(page.total_pages_field)}")
    if page.total_field:
        args.append(f"total_field={python_string(page.total_field)}")
    if page.max_empty_pages is not None:
        args.append(f"max_empty_pages={page.max_empty_pages}")
    return f"PageSpec({', '.join(args)})"


def _stream_spec(stream: m.Stream, needs: Needs) -> str:
    args = [f"event_type={python_string(stream.event_type)}"]
    if stream.terminal:
        args.append(f"terminal={python_tuple(list(stream.terminal))}")
    if stream.heartbeat:
        args.append(f"heartbeat={python_tuple(list(stream.heartbeat))}")
    if stream.resume is not None:
        needs.runtime.add("ResumeSpec")
        resume = [
            f"{key}={python_string(value)}"
            for key, value in (
                ("header", stream.resume.header),
                ("query", stream.resume.query),
                ("field", stream.resume.field),
            )
            if value
        ]
        args.append(f"resume=ResumeSpec({', '.join(resume)})")
    return f"StreamSpec({', '.join(args)})"


def _param_doc(param: m.Param) -> str:
    text = clean(param.description)
    if param.setting is not None:
        text += f" Defaults to the client's `{param.setting}`."
    elif param.has_default and param.default is not None:
        text += f" Server default: `{param.default!r}`."
    return text.strip()


def _field_doc(field: m.Field) -> str:
    text = clean(field.description)
    if field.has_default and field.default is not None:
        text += f" Server default: `{field.default!r}`."
    return text.strip()


def _method_doc(op: m.Operation, arguments: list[Argument]) -> str:
    lines = [op.summary or f"{op.method} {op.path}"]
    if op.description and op.description != op.summary:
        lines += ["", op.description]
    lines += ["", f"`{op.method} {op.path}`"]
    documented = [a for a in arguments if a.description]
    if documented:
        lines += ["", "Args:"]
        for argument in documented:
            first, *rest = clean(argument.description).splitlines() or [""]
            lines.append(f"    {argument.python}: {first}")
            lines += [f"        {line}" if line else "" for line in rest]
    if op.deprecated:
        lines += ["", "Deprecated."]
    return "\n".join(lines)
