"""Resources -> modules of finished classes: one module per top-level resource, nested ones inside it."""

from __future__ import annotations

from ..ir import model as m
from ..parse.names import NameScope, upper_snake
from .annotations import BUILTIN_TYPES, Annotator, Needs
from .methods import MethodBuilder
from .realtime import Sessions, Webhooks
from .text import docstring
from .views import ChildView, MethodView, ResourceModule, ResourceView


def method_names(resource: m.Resource) -> set[str]:
    names = {op.name.python for op in resource.operations}
    for child in resource.resources:
        names |= method_names(child)
    return names


def has_methods(resource: m.Resource) -> bool:
    return bool(resource.operations) or any(has_methods(r) for r in resource.resources)


class ResourceRenderer:
    """The resource modules and the client's own methods; it builds the realtime part (the WebSocket
    sessions and the webhook methods) once, and the docs read the same views."""

    def __init__(self, api: m.Api, annotator: Annotator) -> None:
        self.api = api
        object_models = {x.name: x for x in api.models if isinstance(x, m.ObjectModel)}
        self.methods = MethodBuilder(api, annotator, object_models)
        self.sessions = Sessions(api, annotator, self.methods)
        self.webhooks = Webhooks(api, annotator)
        self.root_imports: list[str] = []

    def _method(
        self, op: m.Operation, constant: str, needs: Needs, imports: list[str], level: str, where: str
    ) -> MethodView:
        """`where` is the call path of the method's resource (`client.workflows`): the operation's name is
        it and the method's, as the parser named both."""
        name = f"{where}.{op.name.python}"
        if op.websocket is not None:
            return self.sessions.connect_view(op, constant, needs, imports, level, name)
        receiver = "self" if level == "." else "self._client"
        return self.methods.build(op, constant, needs, name, receiver=receiver)

    def build(self) -> list[ResourceModule]:
        modules = []
        for resource in self.api.resources:
            if not has_methods(resource):
                continue
            module = ResourceModule(resource.name.python, resource.name.python, resource.class_name)
            module.needs.shadowed = frozenset(method_names(resource) & BUILTIN_TYPES)
            self._add(resource, module, (), f"client.{resource.name.python}")
            modules.append(module)
        self.webhooks.add_webhooks(modules)
        return modules

    def root_methods(self, needs: Needs) -> list[MethodView]:
        needs.shadowed = frozenset({op.name.python for op in self.api.operations} & BUILTIN_TYPES)
        methods = []
        constants = NameScope()
        for op in self.api.operations:
            constant = constants.claim("_" + upper_snake(op.name.python))
            methods.append(self._method(op, constant, needs, self.root_imports, ".", "client"))
        return methods

    def _add(self, resource: m.Resource, module: ResourceModule, prefix: tuple[str, ...], where: str) -> None:
        methods = []
        for op in resource.operations:
            constant = module.constants.claim("_" + upper_snake("_".join((*prefix, op.name.python))))
            methods.append(self._method(op, constant, module.needs, module.imports, "..", where))
        children = tuple(
            ChildView(child.name.python, child.class_name)
            for child in resource.resources
            if has_methods(child)
        )
        module.resources.append(
            ResourceView(
                resource.class_name,
                docstring(resource.description or _describe(resource), "    "),
                tuple(methods),
                children,
            )
        )
        for child in resource.resources:
            if has_methods(child):
                self._add(child, module, (*prefix, child.name.wire), f"{where}.{child.name.python}")


def _describe(resource: m.Resource) -> str:
    return "Operations on " + ".".join(resource.path).replace("_", " ") + "."
