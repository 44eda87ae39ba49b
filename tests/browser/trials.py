"""The operations the console is tried with, one of each kind, picked from the IR (not by name), and the
values filled in: the same values go into the page's inputs and into the generated client's call."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.ir import model as m
from generator.ir import types as t
from generator.ir.model import all_operations
from generator.render.docs import documented

# A path value that must be percent-encoded (space, slash, non-ASCII) and a query value that must be escaped.
PATH_VALUE = "a b/ü"
QUERY_VALUE = "x y&z"
# Statuses the client does not retry, by preference: the error trial answers with the first one declared.
ERROR_STATUSES = ("404", "400", "409", "422", "403")
KINDS = ("json_body", "path_query", "multipart", "paginated", "stream", "idempotent", "error")


@dataclass(frozen=True)
class Trial:
    kind: str
    op: m.Operation
    values: tuple[tuple[m.Argument, Any], ...]  # parameters, body fields and form fields, by argument
    files: tuple[m.Argument, ...] = ()
    status: int | None = None  # the error status the simulator answers with

    @property
    def method(self) -> str:
        """The generated client's method: `client.<resource path>.<name>` without `client.`."""
        return ".".join((*self.op.resource, self.op.name.python))

    def where(self, *locations: str) -> list[tuple[m.Argument, Any]]:
        return [(a, v) for a, v in self.values if a.location in locations]

    def body_text(self) -> str | None:
        """The JSON body typed into the console's editor (None: the operation has no JSON body)."""
        if self.op.body is None or self.op.body.kind != "json":
            return None
        return json.dumps({a.name.wire: v for a, v in self.where("body_field")}, indent=2)


def _plain(type_: t.TypeRef, kinds: tuple[str, ...] = ("string", "integer")) -> bool:
    return isinstance(type_, t.Primitive) and type_.kind in kinds and type_.format in (None, "int32", "int64")


def _value(arg: m.Argument) -> Any:
    if isinstance(arg.type, t.Primitive) and arg.type.kind == "integer":
        return 7
    if arg.location == "path":
        return PATH_VALUE
    return QUERY_VALUE if arg.location == "query" else f"{arg.name.wire}-value"


def _fillable(arg: m.Argument) -> bool:
    return arg.location == "file" or (arg.location != "body" and _plain(arg.type))


def _trial(kind: str, op: m.Operation, extra: Callable[[m.Argument], bool] = lambda a: False) -> Trial | None:
    """The trial filling the required arguments (and those `extra` picks); None if one cannot be typed in."""
    chosen = [a for a in op.call.arguments if a.location != "setting" and (a.required or extra(a))]
    if not all(_fillable(a) for a in chosen):
        return None
    values = tuple((a, _value(a)) for a in chosen if a.location != "file")
    return Trial(kind, op, values, tuple(a for a in chosen if a.location == "file"))


def _first_optional(op: m.Operation, location: str) -> Callable[[m.Argument], bool]:
    first = next(
        (a for a in op.call.arguments if a.location == location and _fillable(a) and not a.required), None
    )
    return lambda a: a is first


# The kinds tried with the required arguments only, and which operations are of that kind.
_FILLED_AS_REQUIRED: dict[str, Callable[[m.Operation], bool]] = {
    "multipart": lambda op: op.body is not None and op.body.kind == "multipart",
    "paginated": lambda op: op.pagination is not None,
    "stream": lambda op: op.stream is not None,
}


def _candidates(kind: str, op: m.Operation) -> Iterator[Trial | None]:
    body = op.body.kind if op.body is not None else None
    plain_call = op.pagination is None and op.stream is None
    if kind == "json_body" and body == "json" and plain_call and not op.idempotency_header:
        required = any(a.location == "body_field" and a.required for a in op.call.arguments)
        yield _trial(kind, op, (lambda a: False) if required else _first_optional(op, "body_field"))
    elif kind == "path_query" and op.method == "GET" and plain_call:
        path = any(a.location == "path" and _plain(a.type, ("string",)) for a in op.call.arguments)
        query = any(a.location == "query" and _fillable(a) for a in op.call.arguments)
        if path and query:
            yield _trial(kind, op, _first_optional(op, "query"))
    elif kind in _FILLED_AS_REQUIRED and _FILLED_AS_REQUIRED[kind](op):
        yield _trial(kind, op)
    elif kind == "idempotent" and op.idempotency_header and body in (None, "json"):
        required = any(a.location == "body_field" and a.required for a in op.call.arguments)
        yield _trial(kind, op, (lambda a: False) if required else _first_optional(op, "body_field"))
    elif kind == "error" and op.method == "GET" and plain_call:
        declared = {e.status for e in op.errors}
        status = next((s for s in ERROR_STATUSES if s in declared), None)
        trial = _trial(kind, op) if status else None
        yield Trial(kind, op, trial.values, trial.files, int(status)) if trial and status else None


def pick(api: m.Api, kind: str) -> Trial | None:
    """The first operation of the API (in the client's order) that is a `kind` trial."""
    trials = (
        trial
        for op in all_operations(api)
        if documented(op)
        for trial in _candidates(kind, op)
        if trial is not None
    )
    return next(trials, None)
