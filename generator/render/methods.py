"""One operation -> one finished method (signature, docstring, runtime call), sync and async."""

from __future__ import annotations

from dataclasses import fields

from ..ir import model as m
from ..ir import types as t
from .annotations import Annotator, Needs, enum_values, python_string, python_tuple, renders_float
from .text import clean, docstring
from .views import MethodView, ParamView

# Keyword arguments every method takes after its own (`parse/names.py` reserves their names).
OPTION_PARAMS = (
    "extra_headers: Headers | None = None",
    "extra_query: Query | None = None",
    "extra_body: Body | None = None",
    "timeout: TimeoutInput = NOT_GIVEN",
    "retry: RetryPolicy | None = None",
)
# ... and stream methods this one, the read timeout of the stream's requests
STREAM_PARAMS = ("stream_read_timeout: float | NotGiven | None = NOT_GIVEN",)
# The runtime keyword each argument location is sent with (a whole body or raw content: the value itself).
_GROUPS = {
    "path": "path_params",
    "query": "query",
    "header": "headers",
    "setting": "settings",
    "form_field": "form",
    "file": "files",
    "body_field": "json",
}
Groups = dict[str, list[tuple[str, str]]]


def argument_groups(call: m.Call) -> Groups:
    """(wire name or setting, python name) pairs per runtime keyword, in declaration order."""
    groups: Groups = {key: [] for key in dict.fromkeys(_GROUPS.values())}
    for arg in call.arguments:
        if arg.location in _GROUPS:
            wire = arg.setting.name if arg.setting is not None else arg.name.wire
            groups[_GROUPS[arg.location]].append((wire, arg.name.python))
    return groups


class MethodBuilder:
    def __init__(self, api: m.Api, annotator: Annotator, object_models: dict[str, m.ObjectModel]) -> None:
        self.api = api
        self.annotator = annotator
        self.object_models = object_models

    def build(
        self, op: m.Operation, constant: str, needs: Needs, name: str, receiver: str = "self._client"
    ) -> MethodView:
        """The method for `op`, called as `name` (`client.workflows.run`); `receiver` is the runtime client
        (`self` for methods on the client itself)."""
        call = op.call
        arguments = [
            ParamView(
                arg.name.python,
                self.annotator.argument(arg, needs),
                arg.required,
                _argument_doc(arg),
                none_default=arg.location == "content",
            )
            for arg in call.signature()
        ]
        groups = argument_groups(call)
        returns, cast_to, kind = self._returns(call, needs)
        call_args = [constant]
        call_args += self._kind_args(op, kind, cast_to, needs)
        for group in ("path_params", "query", "headers", "settings"):
            if groups[group]:
                call_args.append(f"{group}={_dict(groups[group])}")
        call_args += _body_args(op, groups)
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
        needs_cast = call.result == "model" and not self._is_class(call.returns)
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
            operation=self.operation(op, groups, needs, name),
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

    # ---- responses

    def _returns(self, call: m.Call, needs: Needs) -> tuple[tuple[str, str], str, str]:
        """((sync annotation, async annotation), cast_to expression, runtime kind)."""
        returns = self.annotator.render(call.returns, needs) if call.returns is not None else ""
        if call.result == "stream":
            needs.runtime |= {"Stream", "AsyncStream"}
            return (f"Stream[{returns}]", f"AsyncStream[{returns}]"), returns, "stream"
        if call.result == "page":
            needs.runtime |= {"SyncPage", "AsyncPaginator"}
            return (f"SyncPage[{returns}]", f"AsyncPaginator[{returns}]"), returns, "page"
        if call.result == "binary":
            needs.runtime |= {"BinaryResponse", "AsyncBinaryResponse"}
            return ("BinaryResponse", "AsyncBinaryResponse"), "BinaryResponse", "binary"
        if call.result == "text":
            return ("str", "str"), "str", "json"
        if call.result == "model":
            return (returns, returns), returns, "json"
        return ("None", "None"), "type(None)", "empty"

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
                f"stream_spec={stream_spec(op.stream, needs)}",
                "stream_read_timeout=stream_read_timeout",
            ]
        if kind == "page":
            assert op.pagination is not None
            needs.runtime.add("PageSpec")
            success = op.call.success
            assert success is not None and success.type is not None
            page_type = self.annotator.render(success.type, needs)
            return [
                f"item_type={cast_to}",
                f"page_type={page_type}",
                f"page_spec={page_spec(op.pagination)}",
            ]
        if kind == "binary":
            return ["cast_to=BinaryResponse"]
        return [f"cast_to={cast_to}"]

    # ---- the Operation constant

    def operation(self, op: m.Operation, groups: Groups, needs: Needs, name: str) -> str:
        """The module's `Operation(...)` constant of `op` (HTTP methods and WebSocket sessions share it),
        called `name` in hooks and spans."""
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
        if not op.call.auth:
            args.append("auth=False")
        args.append(f"name={python_string(name)}")
        return f"Operation({', '.join(args)})"


def _dict(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{python_string(wire)}: {python}" for wire, python in pairs) + "}"


def page_spec(page: m.Pagination) -> str:
    """The `PageSpec(...)` of an operation: the IR's fields under the same names (`item_type` aside, which
    types the items), each name the parser resolved stated, so the runtime looks up only these."""
    args = []
    for spec_field in fields(page):
        value = getattr(page, spec_field.name)
        if spec_field.name == "item_type" or value == spec_field.default:
            continue
        args.append(f"{spec_field.name}={python_string(value) if isinstance(value, str) else value}")
    return f"PageSpec({', '.join(args)})"


def stream_spec(stream: m.Stream, needs: Needs) -> str:
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


def _body_args(op: m.Operation, groups: Groups) -> list[str]:
    """How the body is passed: form fields and files, raw content, a whole value, or the object's fields."""
    if op.body is None:
        return []
    whole = next((a for a in op.call.arguments if a.location in ("body", "content")), None)
    if whole is not None:
        return [f"{'content' if whole.location == 'content' else 'json'}={whole.name.python}"]
    if op.body.kind in ("multipart", "form"):
        return [f"{group}={_dict(groups[group])}" for group in ("form", "files") if groups[group]]
    return [f"json={_dict(groups['json'])}"]


def _argument_doc(arg: m.Argument) -> str:
    """The argument's line in the method's docstring."""
    if arg.location in ("form_field", "file"):
        return arg.description
    if arg.location in ("body", "content"):
        return arg.description or "The request body."
    text = clean(arg.description)
    if arg.setting is not None:
        text += f" Defaults to the client's `{arg.setting.name}`."
    elif arg.has_default and arg.default is not None:
        text += f" Server default: `{arg.default!r}`."
    return text.strip()


def _method_doc(op: m.Operation, arguments: list[ParamView]) -> str:
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
