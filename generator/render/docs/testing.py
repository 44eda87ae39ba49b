"""The README's "Testing your code" section: the package's test kit (`<package>.testing`) at work.

Each example is a whole pytest module that tests a call of this API through the kit, so the docs tests run
them with pytest as a user would. The operations are picked from the IR's call surface (a JSON body, a
paginated list, a stream, a documented error status); an example the document has nothing for is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...ir import model as m
from ...ir import types as t
from ...parse.names import snake
from ..annotations import python_string
from .readme import Docs
from .runtime import IDEMPOTENT_METHODS, exception_for
from .text import Imports, call_lines
from .values import Arg, Located

# JSON of the wrong type for a primitive body field, to show the kit's check of the request.
_WRONG = {"string": "123", "integer": '"not a number"', "number": '"not a number"', "boolean": '"no"'}


@dataclass(frozen=True)
class Testing:
    """The section's examples (each a pytest module, `""` when the API has nothing to show it with) and
    the names its prose uses."""

    mock_class: str
    fixture: str
    handle: str  # a handle the prose names (`chats.get`), mocking `client.<the same>`
    answers: tuple[str, ...]  # the handles' ways to answer that this API's operations have
    respond: str
    body: str
    pages: str
    events: str
    resumes: bool  # whether the events example drops the connection and the client resumes
    errors: str
    kit_errors: str


class _Examples:
    """Builds the examples of one API from its docs views and the kit's handle paths."""

    def __init__(self, docs: Docs, handles: dict[str, str], mock_class: str, fixture: str) -> None:
        self.docs, self.handles = docs, handles
        self.mock_class, self.fixture = mock_class, fixture
        self.package = docs.pkg.import_name
        # A file argument's example is a path that is not there when the test runs: those calls are left out.
        self.located = [
            x
            for x in docs.located
            if x.op.id in handles and not any(a.location in ("file", "content") for a, _, _ in x.examples)
        ]

    def object_model(self, type_: t.TypeRef | None) -> m.ObjectModel | None:
        target = self.docs.values.models.get(type_.name) if isinstance(type_, t.Ref) else None
        return target if isinstance(target, m.ObjectModel) else None

    def text_field(self, model: m.ObjectModel | None) -> str | None:
        """The first plain string field of `model` (an override of it shows in the result)."""
        fields = model.fields if model is not None else ()
        names = [f.name.python for f in fields if f.type == t.Primitive("string")]
        return min(names, key=lambda name: name == "id" or name.endswith("_id"), default=None)

    def module(self, tests: list[list[str]], imports: Imports) -> str:
        """A pytest module: the imports, then each test separated by two blank lines."""
        kit = {(f"{self.package}.testing", self.mock_class)}
        body = [line for test in tests for line in ["", "", *test]]
        return self.docs.program(body[1:], imports | kit, is_async=False, client=False)

    def test(self, name: str, lines: list[str], *, fixture: bool = True) -> list[str]:
        signature = f"{self.fixture}: {self.mock_class}" if fixture else ""
        return [f"def {name}({signature}) -> None:", *(f"    {line}" if line else "" for line in lines)]

    def client(self, mock: str = "", *, is_async: bool = False) -> str:
        """`<mock>.client(...)`, passing the settings the client requires."""
        settings = [
            f"{x.name}={python_string('my-' + x.name.replace('_', '-'))}"
            for x in self.docs.api.settings
            if x.required
        ]
        method = "async_client" if is_async else "client"
        return f"{mock or self.fixture}.{method}({', '.join(settings)})"

    def mock(self, loc: Located, fixture: bool = True) -> str:
        return f"{self.fixture if fixture else 'api'}.{self.handles[loc.op.id]}"

    def call(
        self, loc: Located, prefix: str = "", suffix: str = "", args: list[tuple[str, str]] | None = None
    ) -> list[str]:
        given = loc.call_args() if args is None else args
        return call_lines(prefix, f"client.{loc.attribute}", given, suffix)

    # ---- the operations each example calls

    def answering(self) -> tuple[Located, str | None] | None:
        """A call answering a model: the one with a plain string field the test can set, if any."""
        models = [x for x in self.located if x.op.call.result == "model"]
        named = [x for x in models if self.text_field(self.object_model(x.op.call.returns))]
        loc = self.docs.pick(named) or self.docs.pick(models)
        return None if loc is None else (loc, self.text_field(self.object_model(loc.op.call.returns)))

    def sending(self) -> tuple[Located, Arg, str] | None:
        """A call with a JSON body, and the primitive body field its example sends."""
        found: list[Located] = []
        chosen: dict[str, tuple[Arg, str]] = {}
        for x in self.located:
            if x.op.body is None or x.op.body.kind != "json" or x.kind not in ("json", "empty"):
                continue
            for arg, py, _ in x.examples:
                if arg.location == "body" and arg.wire != "(body)" and _primitive(arg.type) in _WRONG:
                    found.append(x)
                    chosen[x.op.id] = (arg, py)
                    break
        loc = self.docs.pick(found)
        return None if loc is None else (loc, *chosen[loc.op.id])

    # ---- the examples

    def respond(self, answering: tuple[Located, str | None]) -> str:
        loc, field = answering
        handle, value = self.mock(loc), python_string(f"my-{(field or '').replace('_', '-')}")
        success = loc.op.call.success
        result = self.docs.var(success.type if success is not None else None, "result")
        lines = [
            f"{handle}.respond({field}={value})" if field else f"{handle}.respond()",
            f"client = {self.client()}",
            *self.call(loc, f"{result} = " if field else ""),
            *([f"assert {result}.{field} == {value}"] if field else []),
            f"assert len({handle}.calls) == 1",
        ]
        return self.module([self.test("test_respond_answers_with_the_fields_given", lines)], loc.imports)

    def body(self, sending: tuple[Located, Arg, str]) -> str:
        loc, arg, value = sending
        handle = self.mock(loc, fixture=False)
        lines = [
            f"with {self.mock_class}() as api:",
            f"    {handle}.respond()",
            f"    client = {self.client('api')}",
            *(f"    {line}" for line in self.call(loc)),
            f"call = {handle}.calls[0]",
            f"assert call.method == {python_string(loc.op.method)}",
            f"assert call.json[{python_string(arg.wire)}] == {value}",
            'assert call.headers["content-type"] == "application/json"',
        ]
        test = self.test("test_the_request_sends_the_body", lines, fixture=False)
        cls = f"Async{self.docs.pkg.client_class}"
        send = [
            f"async def send(client: {cls}) -> None:",
            *(f"    {line}" for line in self.call(loc, "await ")),
        ]
        awaited = [
            f"with {self.mock_class}() as api:",
            f"    {handle}.respond()",
            f"    asyncio.run(send({self.client('api', is_async=True)}))",
            f"assert {handle}.calls[0].json[{python_string(arg.wire)}] == {value}",
        ]
        imports = loc.imports | {("asyncio", ""), (self.package, cls)}
        return self.module(
            [test, send, self.test("test_the_async_client_is_mocked_too", awaited, fixture=False)], imports
        )

    def pages(self) -> str:
        pages = [x for x in self.located if self.object_model(_item(x)) is not None]
        loc = self.docs.pick(pages)
        if loc is None:
            return ""
        item = self.object_model(_item(loc))
        assert item is not None
        field, handle = self.text_field(item), self.mock(loc)
        made = [f"fake({item.name}{f', {field}={python_string(v)}' if field else ''})" for v in "abc"]
        lines = [
            f"first = [{made[0]}, {made[1]}]",
            f"second = [{made[2]}]",
            f"{handle}.respond_pages(first, second)",
            f"client = {self.client()}",
            *self.call(loc, "items = list(", ")"),
            f'assert [item.{field} for item in items] == ["a", "b", "c"]'
            if field
            else "assert len(items) == 3",
        ]
        imports = loc.imports | {(f"{self.package}.models", item.name), (f"{self.package}.testing", "fake")}
        return self.module([self.test("test_iteration_reads_every_page", lines)], imports)

    def events(self) -> tuple[str, bool]:
        streams = [x for x in self.located if self.event_models(x) is not None]
        resuming = [x for x in streams if x.op.stream and x.op.stream.resume]
        loc = self.docs.pick(resuming) or self.docs.pick(streams)
        models = None if loc is None else self.event_models(loc)
        if loc is None or loc.op.stream is None or models is None:
            return "", False
        (event, ending), stream = models, loc.op.stream
        resumes, handle = stream.resume is not None, self.mock(loc)
        imports = loc.imports | {(f"{self.package}.models", event), (f"{self.package}.testing", "fake")}
        if ending is None:
            made = [f"events = [fake({event}, seed=seed) for seed in range(3)]"]
        else:
            assert isinstance(stream.event, t.Ref)
            imports |= {(f"{self.package}.models", ending), (f"{self.package}.models", stream.event.name)}
            made = [
                f"events: list[{stream.event.name}] = [",
                f"    fake({event}, seed=1),",
                f"    fake({event}, seed=2),",
                f"    fake({ending}),  # a terminal event: the stream ends after it",
                "]",
            ]
        lines = [
            *made,
            f"{handle}.respond_events(*events{', drop_after=1' if resumes else ''})",
            f"client = {self.client()}",
            *self.call(loc, "with ", " as stream:"),
            "    received = list(stream)",
            "assert received == events",
        ]
        if resumes:
            lines += [
                "# the connection dropped after the first event, and the client resumed",
                f"assert len({handle}.calls) == 2",
            ]
        return self.module([self.test("test_the_stream_yields_every_event", lines)], imports), resumes

    def event_models(self, loc: Located) -> tuple[str, str | None] | None:
        """The models of the events the example sends: the event itself, or a variant that ends nothing
        and, when the stream has terminal events, the variant of one (a resuming stream without one
        would take the end of the body for a dropped connection)."""
        stream = loc.op.stream
        if stream is None or not isinstance(stream.event, t.Ref):
            return None
        target = self.docs.values.models.get(stream.event.name)
        if isinstance(target, m.ObjectModel):
            return None if stream.terminal and stream.resume else (target.name, None)
        if not isinstance(target, m.UnionModel) or target.discriminator is None:
            return None
        tags = {name: tag for tag, name in target.discriminator.mapping}
        variants = [v.name for v in target.variants if isinstance(v, t.Ref) and self.object_model(v)]
        plain = [v for v in variants if tags.get(v) not in {*stream.terminal, *stream.heartbeat}]
        ending = next((v for v in variants if tags.get(v) in stream.terminal), None)
        if not plain or (stream.terminal and stream.resume and ending is None):
            return None
        return plain[0], ending

    def errors(self) -> str:
        pkg, tests, imports = self.package, [], set[tuple[str, str]]()
        retryable = [x for x in self.located if x.op.method in IDEMPOTENT_METHODS]
        retried = self.docs.pick([x for x in retryable if x.op.call.result in ("model", "empty")])
        if retried is not None and 429 in self.docs.pkg.retry_statuses and self.docs.pkg.max_retries > 0:
            handle = self.mock(retried)
            lines = [
                f"{handle}.respond_error(429, retry_after=2)",
                f"{handle}.respond()  # the second request gets this",
                f"client = {self.client()}",
                *self.call(retried),
                f"assert len({handle}.calls) == 2",
                f"assert {self.fixture}.sleeps == [2.0]  # what the client waited, without sleeping",
            ]
            tests.append(self.test("test_a_429_is_retried_after_its_retry_after", lines))
            imports |= retried.imports
        declared = self.declared_error()
        if declared is not None:
            loc, status, model, path = declared
            handle, cls = self.mock(loc), exception_for(status)
            value = python_string(f"my-{path[-1].replace('_', '-')}")
            given = value if len(path) == 1 else f"{{{python_string(path[1])}: {value}}}"
            lines = [
                f"{handle}.respond_error({status}, {path[0]}={given})",
                f"client = {self.client()}",
                f"with pytest.raises({cls}) as raised:",
                *(f"    {line}" for line in self.call(loc)),
                f"assert isinstance(raised.value.error, {model})",
                f"assert raised.value.error.{'.'.join(path)} == {value}",
            ]
            tests.append(self.test(f"test_a_{status}_raises_{snake(cls)}", lines))
            imports |= loc.imports | {("pytest", ""), (pkg, cls), (f"{pkg}.models", model)}
        return self.module(tests, imports) if tests else ""

    def text_path(self, model: m.ObjectModel | None) -> tuple[str, ...] | None:
        """A plain string field of `model`, or of a model one of its fields holds (`error.message`)."""
        field = self.text_field(model)
        if field is not None:
            return (field,)
        if model is None:
            return None
        for f in model.fields:  # a required one: an optional model field is `None` for mypy
            inner = self.text_field(self.object_model(f.type)) if f.required else None
            if inner is not None:
                return f.name.python, inner
        return None

    def declared_error(self) -> tuple[Located, str, str, tuple[str, ...]] | None:
        """A documented error status the client raises a named exception for, without retrying, and a
        plain string field of its error model (a 404 if any)."""
        found = []
        for x in self.located:
            if x.kind not in ("json", "empty"):
                continue
            for e in x.op.errors:
                error = self.docs.error_model(e.type)
                path = self.text_path(error)
                retried = e.status.isdigit() and int(e.status) in self.docs.pkg.retry_statuses
                if error and path and exception_for(e.status) != "APIStatusError" and not retried:
                    rank = (e.status != "404", len(x.examples), x.op.method != "GET", x.op.id)
                    found.append((rank, x, e.status, error.name, path))
        if not found:
            return None
        _, loc, status, name, path = min(found, key=lambda f: f[0])
        return loc, status, name, path

    def answers(self) -> tuple[str, ...]:
        kinds = {x.kind for x in self.docs.located if x.op.id in self.handles}
        ways = {"respond": kinds - {"page", "stream"}, "respond_pages": {"page"} & kinds}
        ways["respond_events"] = {"stream"} & kinds
        return (*(f"`{way}(...)`" for way, has in ways.items() if has), "`respond_error(...)`")

    def consume(self, loc: Located) -> list[str]:
        """Lines that call the operation and read its whole result (every page, every event)."""
        if loc.kind == "page":
            return self.call(loc, "list(", ")")
        if loc.kind == "stream":
            return [*self.call(loc, "with ", " as stream:"), "    list(stream)"]
        if loc.kind == "binary":
            return self.call(loc, "", ".read()")
        return self.call(loc)

    def kit_errors(self, loc: Located, sending: tuple[Located, Arg, str] | None) -> str:
        missing = [
            f"client = {self.client()}",
            'with pytest.raises(MockAPIError, match="no response was set"):',
            *(f"    {line}" for line in self.consume(loc)),
        ]
        tests = [self.test("test_a_call_without_a_response_fails", missing)]
        imports = loc.imports | {("pytest", ""), (f"{self.package}.testing", "MockAPIError")}
        if sending is not None:
            body, arg, _ = sending
            args = [(k, "wrong" if k == arg.python else v) for k, v in body.call_args()]
            text = python_string(_WRONG[_primitive(arg.type)])
            wrong = [
                f"{self.mock(body)}.respond()",
                f"client = {self.client()}",
                f"wrong = json.loads({text})  # untyped, as data read from a file is",
                'with pytest.raises(MockAPIError, match="does not match the document"):',
                *(f"    {line}" for line in self.call(body, args=args)),
            ]
            tests.append(self.test("test_a_request_the_document_does_not_allow_fails", wrong))
            imports |= body.imports | {("json", "")}
        return self.module(tests, imports)


def testing(docs: Docs, handles: dict[str, str], mock_class: str, fixture: str) -> Testing | None:
    """The section's view; `None` when the kit mocks no operation (a document of WebSocket sessions only)."""
    ex = _Examples(docs, handles, mock_class, fixture)
    answering = ex.answering()
    first = answering[0] if answering else docs.pick(ex.located)
    if first is None:
        return None
    sending = ex.sending()
    events, resumes = ex.events()
    return Testing(
        mock_class=mock_class,
        fixture=fixture,
        handle=handles[first.op.id],
        answers=ex.answers(),
        respond=ex.respond(answering) if answering else "",
        body=ex.body(sending) if sending else "",
        pages=ex.pages(),
        events=events,
        resumes=resumes,
        errors=ex.errors(),
        kit_errors=ex.kit_errors(first, sending),
    )


def _item(loc: Located) -> t.TypeRef | None:
    return loc.op.pagination.item_type if loc.op.pagination is not None else None


def _primitive(type_: t.TypeRef) -> str:
    return type_.kind if isinstance(type_, t.Primitive) and type_.format is None else ""
