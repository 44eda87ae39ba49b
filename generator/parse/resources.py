"""The resource tree and its names: each resource's attribute on its parent and its classes.

Names are settled before any model is named, so that a schema called like a generated class yields to it
(see `generator.parse.schemas.class_name`), and settled in sorted order, so they never depend on the order
of a dictionary or the hash seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..ir import model as m
from .names import (
    CLIENT_ATTRIBUTES,
    IMPORTED_NAMES,
    RESOURCE_ATTRIBUTES,
    NameScope,
    pascal,
    resource_classes,
    twins,
)

Path = tuple[str, ...]


@dataclass(frozen=True)
class ResourceNames:
    """The python names of a package's resources, and every class name generated code defines or imports."""

    attributes: dict[Path, str]
    class_names: dict[Path, str]
    classes: frozenset[str]  # the client's and the resources' classes (with twins) and the runtime's imports


def name_resources(methods: dict[Path, set[str]], client_class: str) -> ResourceNames:
    """Names for every resource that `methods` (resource path -> its method names) implies.

    An attribute taken by a method of the parent (or, on the client, by the runtime client's API) gets
    `_resource` appended. Two resources whose classes would share a name (`a.b_c` and `a.b.c` both give
    `ABCResource`), or whose class would take a class the package already defines (the client's, another
    resource's async or raw-response twin, a runtime import), get a counter in the stem: `ABC2Resource`.
    """
    paths = sorted({path[:end] for path in methods for end in range(1, len(path) + 1)})
    attributes: dict[Path, str] = {}
    scopes: dict[Path, NameScope] = {}
    for path in paths:
        parent = path[:-1]
        if parent not in scopes:
            reserved = CLIENT_ATTRIBUTES if not parent else RESOURCE_ATTRIBUTES
            scopes[parent] = NameScope(set(methods.get(parent, ())), reserved)
        scope = scopes[parent]
        key = path[-1]
        attributes[path] = scope.claim(key if key not in scope else key + "_resource")
    classes = NameScope(set(IMPORTED_NAMES) | set(twins(client_class)))
    class_names = {
        path: classes.claim_family(pascal(" ".join(path)), resource_classes) + "Resource" for path in paths
    }
    taken = {name for path in paths for name in resource_classes(class_names[path].removesuffix("Resource"))}
    return ResourceNames(
        attributes, class_names, frozenset(taken | IMPORTED_NAMES | set(twins(client_class)))
    )


def build_resources(
    operations: list[m.Operation], names: ResourceNames
) -> tuple[tuple[m.Resource, ...], tuple[m.Operation, ...]]:
    """Group operations into a resource tree; operations without a resource stay on the client."""
    tree: dict[str, Any] = {}
    root_ops = []
    for op in operations:
        if not op.resource:
            root_ops.append(op)
            continue
        node = tree
        for segment in op.resource:
            node = node.setdefault(segment, {"__ops__": []})
        node["__ops__"].append(op)
    return _resources(tree, (), names), tuple(root_ops)


def _resources(tree: dict[str, Any], parent: Path, names: ResourceNames) -> tuple[m.Resource, ...]:
    result = []
    for key in sorted(k for k in tree if k != "__ops__"):
        node = tree[key]
        path = (*parent, key)
        result.append(
            m.Resource(
                name=m.Name(names.attributes[path], key),
                class_name=names.class_names[path],
                path=path,
                operations=tuple(node["__ops__"]),
                resources=_resources(node, path, names),
            )
        )
    return tuple(result)
