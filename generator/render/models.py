"""Named models -> finished class and alias definitions, grouped into modules.

Each model gets a module of its own, except models that refer to each other in a cycle (a cycle shares
one module, so imports between model modules never loop) and models that only one module refers to (they
join it; see `module_groups`). Type checkers see every model through `models/__init__.py`; at run time
that package imports a model module only when it is first used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ir import model as m
from ..ir import types as t
from ..parse.examples import is_json
from ..parse.names import NameScope, snake
from .annotations import BUILTIN_TYPES, Annotator, Needs, allowed_values, python_string, python_value
from .text import docstring


@dataclass(frozen=True)
class FieldView:
    line: str
    doc: str


@dataclass(frozen=True)
class ClassView:
    name: str
    doc: str
    fields: tuple[FieldView, ...]


@dataclass(frozen=True)
class AliasView:
    name: str
    value: str
    doc: str


@dataclass
class ModelModule:
    name: str
    models: list[str]
    classes: list[ClassView] = field(default_factory=list)
    aliases: list[AliasView] = field(default_factory=list)
    needs: Needs = field(default_factory=Needs)
    imports: list[str] = field(default_factory=list)


def references(type_: t.TypeRef | None) -> set[str]:
    if type_ is None:
        return set()
    if isinstance(type_, t.Ref):
        return {type_.name}
    if isinstance(type_, t.Array):
        return references(type_.items)
    if isinstance(type_, t.Map):
        return references(type_.values)
    if isinstance(type_, t.Nullable):
        return references(type_.inner)
    if isinstance(type_, t.Union):
        found: set[str] = set()
        for variant in type_.variants:
            found |= references(variant)
        return found
    return set()


def model_references(model: m.Model) -> set[str]:
    if isinstance(model, m.ObjectModel):
        found: set[str] = set()
        for f in model.fields:
            found |= references(f.type)
        return found | references(model.extra)
    if isinstance(model, m.UnionModel):
        return references(t.Union(model.variants))
    if isinstance(model, m.AliasModel):
        return references(model.type)
    return set()


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; components and their members in sorted order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return sorted(components)


def module_groups(graph: dict[str, set[str]]) -> list[tuple[str, list[list[str]]]]:
    """The models of each module: (the name it is named after, its cycles of models), in name order.

    A cycle of models shares a module. So does a model (or cycle) that only one module's models refer to,
    like an inline object of a single parent: it joins that module. Joining a node whose referrers are all
    in one module never closes a loop between modules, so model modules still import each other acyclically,
    and a large document gets a third as many files.
    """
    components = strongly_connected(graph)
    component_of = {name: index for index, component in enumerate(components) for name in component}
    referrers: list[set[int]] = [set() for _ in components]
    for name, targets in graph.items():
        for target in targets:
            if target in component_of and component_of[target] != component_of[name]:
                referrers[component_of[target]].add(component_of[name])
    joined = list(range(len(components)))

    def group(index: int) -> int:
        while joined[index] != index:
            index = joined[index]
        return index

    changed = True
    while changed:
        changed = False
        for index, sources in enumerate(referrers):
            owners = {group(source) for source in sources}
            if len(owners) == 1 and (owner := owners.pop()) != group(index):
                joined[group(index)] = owner
                changed = True
    members: dict[int, list[list[str]]] = {}
    for index, component in enumerate(components):
        members.setdefault(group(index), []).append(component)
    return sorted((components[root][0], parts) for root, parts in members.items())


class ModelRenderer:
    def __init__(self, api: m.Api, annotator: Annotator) -> None:
        self.api = api
        self.annotator = annotator
        self.by_name = {model.name: model for model in api.models}
        graph = {model.name: model_references(model) for model in api.models}
        scope = NameScope({"__init__"})
        self.module_of: dict[str, str] = {}
        self.modules: list[ModelModule] = []
        for group in module_groups(graph):
            module = ModelModule(
                scope.claim(snake(group[0])), sorted(name for part in group[1] for name in part)
            )
            for name in module.models:
                self.module_of[name] = module.name
            self.modules.append(module)

    def build(self) -> list[ModelModule]:
        for module in self.modules:
            fields = {
                f.name.python
                for name in module.models
                if isinstance(model := self.by_name[name], m.ObjectModel)
                for f in model.fields
            }
            module.needs.shadowed = frozenset(fields & BUILTIN_TYPES)
            for name in _alias_order(module.models, self.by_name):
                model = self.by_name[name]
                if isinstance(model, m.ObjectModel):
                    module.classes.append(self._class(model, module.needs))
                else:
                    module.aliases.append(self._alias(model, module.needs))
            module.imports = self._imports(module)
        return self.modules

    def _class(self, model: m.ObjectModel, needs: Needs) -> ClassView:
        needs.runtime.add("BaseModel")
        fields = []
        for f in model.fields:
            annotation = self.annotator.render(f.type, needs)
            optional = not f.required
            if optional and not annotation.endswith("| None") and annotation != "Any":
                annotation += " | None"
            arguments = []
            if optional:
                arguments.append("default=None")
            if f.examples:
                arguments.append(f"examples={python_value(list(f.examples))}")
            if optional and f.has_default and f.default is not None and is_json(f.default):
                # the server applies it; the model's JSON schema (and fakes) say which it is
                arguments.append(f'json_schema_extra={{"default": {python_value(f.default)}}}')
            if f.name.python != f.name.wire:
                wire = python_string(f.name.wire)
                arguments += [f"validation_alias={wire}", f"serialization_alias={wire}"]
            if len(arguments) > int(optional):  # more than `default=None`
                needs.pydantic.add("Field")
                value = " = Field(" + ", ".join(arguments) + ")"
            else:
                value = " = None" if optional else ""
            doc = " ".join(part for part in (f.description, allowed_values(f.type)) if part)
            fields.append(FieldView(f"{f.name.python}: {annotation}{value}", docstring(doc, "    ")))
        return ClassView(model.name, docstring(model.description or model.name, "    "), tuple(fields))

    def _alias(self, model: m.Model, needs: Needs) -> AliasView:
        needs.typing.add("TypeAlias")
        doc = docstring(model.description, "")
        if isinstance(model, m.EnumModel):
            doc = docstring(" ".join(part for part in (model.description, allowed_values(model)) if part), "")
            return AliasView(model.name, self.annotator.enum_literal(model, needs), doc)
        if isinstance(model, m.UnionModel):
            value = self.annotator.render(t.Union(model.variants), needs)
            tag = self.annotator.open_union_tag(model)
            if tag is not None and " | " in value:
                needs.typing.add("Annotated")
                needs.runtime |= {"OpenUnion", "UnknownVariant"}
                value = f"Annotated[{value} | UnknownVariant, OpenUnion({python_string(tag)})]"
            return AliasView(model.name, value, doc)
        assert isinstance(model, m.AliasModel)
        return AliasView(model.name, self.annotator.render(model.type, needs), doc)

    def _imports(self, module: ModelModule) -> list[str]:
        lines = []
        for name in sorted(module.needs.models - set(module.models)):
            lines.append(f"from .{self.module_of[name]} import {name}")
        return lines


def _alias_order(names: list[str], by_name: dict[str, m.Model]) -> list[str]:
    """Classes first (their annotations are lazy), then aliases after the aliases they use."""
    classes = [n for n in names if isinstance(by_name[n], m.ObjectModel)]
    aliases = [n for n in names if not isinstance(by_name[n], m.ObjectModel)]
    ordered: list[str] = []
    pending = list(aliases)
    while pending:
        progressed = False
        for name in list(pending):
            uses = model_references(by_name[name]) & set(pending)
            if not uses - {name}:
                ordered.append(name)
                pending.remove(name)
                progressed = True
        if not progressed:
            ordered += pending
            break
    return classes + ordered
