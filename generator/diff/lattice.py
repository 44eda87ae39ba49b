"""The type lattice of the differ: which values a surface type admits, and how the generated code spells it.

Types here are the JSON forms `encode` stores in a surface (`"string"`, `"#Model"`, `{"list": ...}`). A type
is reduced to atoms (a primitive, a model, a literal value, a list or map of some type); `lost(old, new)` is
what `old` admits that `new` does not, so a type widened when `lost(new, old)` is not empty and narrowed
when `lost(old, new)` is not. An `int` is a `float`; `Any` admits everything.
"""

from __future__ import annotations

import json
from typing import Any

_PYTHON = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "any": "Any",
    "null": "None",
}
_FORMATS = {"string/date-time": "datetime", "string/date": "date"}

Atom = tuple[str, str]  # ("ref", name) | ("prim", python type) | ("lit", json value) | ("list"|"map", json)


def _python(primitive: str) -> str:
    if primitive in _FORMATS:
        return _FORMATS[primitive]
    kind = primitive.split("/", 1)[0]
    if kind == "binary":
        return "FileInput"
    if kind == "content":
        return "ContentInput"
    return _PYTHON.get(kind, kind)


def _atoms(type_: Any) -> set[Atom]:
    if isinstance(type_, str):
        return {("ref", type_[1:])} if type_.startswith("#") else {("prim", _python(type_))}
    if "enum" in type_:
        return {("lit", json.dumps(v)) for v in type_["enum"]}
    if "list" in type_:
        return {("list", json.dumps(type_["list"], sort_keys=True))}
    if "map" in type_:
        return {("map", json.dumps(type_["map"], sort_keys=True))}
    if "nullable" in type_:
        return _atoms(type_["nullable"]) | {("prim", "None")}
    return {atom for variant in type_["union"] for atom in _atoms(variant)}


def _literal_python(value: str) -> str:
    loaded = json.loads(value)
    return {str: "str", bool: "bool", int: "int", float: "float"}.get(type(loaded), "")


def _covered(atom: Atom, others: set[Atom]) -> bool:
    if atom in others or ("prim", "Any") in others:
        return True
    kind, value = atom
    if kind == "prim":
        return value == "int" and ("prim", "float") in others
    if kind == "lit":
        python = _literal_python(value)
        return ("prim", python) in others or (python == "int" and ("prim", "float") in others)
    if kind in ("list", "map"):
        inner = json.loads(value)
        return any(other_kind == kind and not lost(inner, json.loads(other)) for other_kind, other in others)
    return False


def lost(old: Any, new: Any) -> list[Atom]:
    """What `old` admits that `new` does not."""
    new_atoms = _atoms(new)
    return sorted(a for a in _atoms(old) if not _covered(a, new_atoms))


def describe(type_: Any) -> str:
    """A type as the generated code spells it (`list[Workflow]`, `str | None`, `Literal["a", "b"]`)."""
    if isinstance(type_, str):
        return type_[1:] if type_.startswith("#") else _python(type_)
    if "enum" in type_:
        return "Literal[" + ", ".join(json.dumps(v) for v in type_["enum"]) + "]"
    if "list" in type_:
        return f"list[{describe(type_['list'])}]"
    if "map" in type_:
        return f"dict[str, {describe(type_['map'])}]"
    if "nullable" in type_:
        inner = describe(type_["nullable"])
        return inner if inner.endswith("| None") or inner == "Any" else f"{inner} | None"
    return " | ".join(describe(v) for v in type_["union"])
