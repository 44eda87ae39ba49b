"""The package's test kit (`<package>.testing`): a mock API typed per operation, read from the call surface.

Every operation's handle sits at the dotted path of its method on the client (`api.workflows.run` mocks
`client.workflows.run`): the resource attributes and method names are the parser's (`parse/resources.py`),
the result kind and types `Operation.call`'s, and each route refers to the very `Operation` constant the
client sends (so the kit checks requests against what the client was generated from).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ir import model as m
from ..parse.names import NameScope
from .annotations import Annotator, Needs, python_string, python_tuple
from .methods import page_spec, stream_spec
from .resources import has_methods
from .views import MethodView, ResourceModule

# What the mock API itself is called on (`api.client()`): an operation or resource so named gets a `_`.
MOCK_ATTRIBUTES = frozenset({"client", "async_client", "requests", "sleeps", "base_url"})
_HANDLES = {"page": "PageMock", "stream": "StreamMock"}


@dataclass(frozen=True)
class HandleView:
    """One attribute of a mock namespace: an operation's handle or a child namespace."""

    attribute: str
    annotation: str
    value: str


@dataclass(frozen=True)
class NamespaceView:
    """The mocks of one resource (`api.workflows`): a class of handles and child namespaces."""

    class_name: str
    path: str
    handles: tuple[HandleView, ...]


@dataclass
class KitView:
    """What `testing.py.j2` prints: the routes, the namespace classes, the mock's own handles."""

    mock_class: str
    fixture: str
    routes: list[str] = field(default_factory=list)
    namespaces: list[NamespaceView] = field(default_factory=list)
    root: list[HandleView] = field(default_factory=list)
    needs: Needs = field(default_factory=Needs)
    imports: list[str] = field(default_factory=list)
    # Operation id -> where its handle is on the mock (`workflows.run`: `api.workflows.run`), for the docs.
    handles: dict[str, str] = field(default_factory=dict)


def fixture_name(api: m.Api) -> str:
    """The pytest fixture of the package's kit: the import name is unique in an environment."""
    return f"{api.package.import_name}_mock"


class KitRenderer:
    """Builds the kit's view from the IR and the constants the resource modules define."""

    def __init__(
        self, api: m.Api, annotator: Annotator, modules: list[ResourceModule], root_methods: list[MethodView]
    ) -> None:
        self.api = api
        self.annotator = annotator
        self.constants: dict[str, tuple[str, str]] = {}
        for module in modules:
            for method in module.methods:
                if method.operation_id:
                    self.constants[method.operation_id] = (f".resources.{module.name}", method.constant)
        for method in root_methods:
            if method.operation_id:
                self.constants[method.operation_id] = ("._client", method.constant)
        self.classes = NameScope()

    def build(self) -> KitView:
        view = KitView(f"Mock{self.api.package.client_class}", fixture_name(self.api))
        root = NameScope(reserved=MOCK_ATTRIBUTES)
        view.root = self._handles(self.api.operations, self.api.resources, (), (), view, root)
        return view

    def _handles(
        self,
        operations: tuple[m.Operation, ...],
        resources: tuple[m.Resource, ...],
        path: tuple[str, ...],
        mock_path: tuple[str, ...],
        view: KitView,
        scope: NameScope,
    ) -> list[HandleView]:
        """The handles of one namespace; `path` is its place on the client, `mock_path` on the mock."""
        handles = []
        for op in operations:
            handle = self._operation(op, path, view, scope)
            if handle is not None:
                handles.append(handle)
                view.handles[op.id] = ".".join((*mock_path, handle.attribute))
        for resource in resources:
            if not self._mockable(resource):
                continue
            attribute = scope.claim(resource.name.python)
            child_path = (*path, resource.name.python)
            class_name = self.classes.claim(f"_{resource.class_name}Mock")
            mock_child = (*mock_path, attribute)
            children = self._handles(
                resource.operations, resource.resources, child_path, mock_child, view, NameScope()
            )
            view.namespaces.append(NamespaceView(class_name, ".".join(child_path), tuple(children)))
            handles.append(HandleView(attribute, class_name, f"{class_name}(api)"))
        return handles

    def _mockable(self, resource: m.Resource) -> bool:
        """Whether any operation under `resource` gets a handle (a WebSocket-only resource gets none)."""
        if not has_methods(resource):
            return False
        return any(map(self._mocked, resource.operations)) or any(map(self._mockable, resource.resources))

    def _mocked(self, op: m.Operation) -> bool:
        return op.call.result != "socket" and op.id in self.constants

    def _operation(
        self, op: m.Operation, path: tuple[str, ...], view: KitView, scope: NameScope
    ) -> HandleView | None:
        call = op.call
        if not self._mocked(op):
            return None
        needs = view.needs
        name = ".".join((*path, op.name.python))
        module, constant = self.constants[op.id]
        alias = "_op_" + name.replace(".", "__")
        view.imports.append(f"from {module} import {constant} as {alias}")
        returns = self._returns(op, needs)
        args = [
            f"name={python_string(name)}",
            f"operation={alias}",
            f"result={python_string(call.result)}",
            f"status={_status(call.success)}",
            f"returns={returns}",
        ]
        if op.pagination is not None:
            needs.runtime.add("PageSpec")
            args.append(f"page={page_spec(op.pagination)}")
        if op.stream is not None:
            needs.runtime.add("StreamSpec")
            args.append(f"stream={stream_spec(op.stream, needs)}")
        if op.body is not None and op.body.kind == "json":
            args.append(f"body={self.annotator.render(op.body.type, needs)}")
        for location, keyword in (("query", "query"), ("header", "headers")):
            wires = [a.name.wire for a in call.arguments if a.location == location and a.required]
            if wires:
                args.append(f"{keyword}={python_tuple(wires)}")
        view.routes.append(f"_routes.Route({', '.join(args)})")
        item = self.annotator.render(call.returns, needs) if call.returns is not None else "None"
        item = {"binary": "bytes", "text": "str", "empty": "None"}.get(call.result, item)
        annotation = f"_kit.{_HANDLES.get(call.result, 'ModelMock')}[{item}]"
        return HandleView(
            scope.claim(op.name.python), annotation, f"api._mock({python_string(name)}, {annotation})"
        )

    def _returns(self, op: m.Operation, needs: Needs) -> str:
        """The runtime value of the success body's type: the page body of a page, the event of a stream."""
        call = op.call
        if call.result == "page" and call.success is not None and call.success.type is not None:
            return self.annotator.render(call.success.type, needs)
        if call.result in ("model", "stream") and call.returns is not None:
            return self.annotator.render(call.returns, needs)
        return {"text": "str", "binary": "bytes"}.get(call.result, "None")


def _status(success: m.Response | None) -> int:
    if success is None or not success.status.isdigit():
        return 200
    return int(success.status)
