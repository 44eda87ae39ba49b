"""IR types -> Python annotations, remembering which models and typing names each annotation needs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..ir import model as m
from ..ir import types as t


@dataclass
class Needs:
    """What a module must import for the annotations rendered into it."""

    models: set[str] = field(default_factory=set)
    typing: set[str] = field(default_factory=set)
    datetime: set[str] = field(default_factory=set)
    runtime: set[str] = field(default_factory=set)
    pydantic: set[str] = field(default_factory=set)
    # Builtin names a class in the module shadows with a method (`def list`): spelled `builtins.list` there.
    shadowed: frozenset[str] = frozenset()
    builtins: bool = False

    def builtin(self, name: str) -> str:
        if name in self.shadowed:
            self.builtins = True
            return f"builtins.{name}"
        return name

    def merge(self, other: Needs) -> None:
        self.models |= other.models
        self.typing |= other.typing
        self.datetime |= other.datetime
        self.runtime |= other.runtime
        self.pydantic |= other.pydantic
        self.builtins |= other.builtins


_FORMATS = {"date-time": "datetime", "date": "date"}
BUILTIN_TYPES = frozenset({"list", "dict", "str", "int", "float", "bool"})


class Annotator:
    """Renders annotations against one API's models.

    `tolerant` enums accept values the spec does not list (`Literal[...] | str`), so a vendor adding an
    enum value never breaks parsing; single-value literals stay exact so they can discriminate unions.
    """

    def __init__(self, models: dict[str, m.Model]) -> None:
        self.models = models

    def render(self, type_: t.TypeRef, needs: Needs, *, file_parts: bool = False) -> str:
        if isinstance(type_, t.Primitive):
            return self._primitive(type_, needs, file_parts)
        if isinstance(type_, t.Literal):
            return self._literal(type_.values, needs, tolerant=len(type_.values) > 1)
        if isinstance(type_, t.Array):
            return f"{needs.builtin('list')}[{self.render(type_.items, needs, file_parts=file_parts)}]"
        if isinstance(type_, t.Map):
            return f"{needs.builtin('dict')}[{needs.builtin('str')}, {self.render(type_.values, needs)}]"
        if isinstance(type_, t.Nullable):
            inner = self.render(type_.inner, needs, file_parts=file_parts)
            return inner if inner == "Any" or inner.endswith("| None") else f"{inner} | None"
        if isinstance(type_, t.Union):
            parts: list[str] = []
            for variant in type_.variants:
                rendered = self.render(variant, needs, file_parts=file_parts)
                if rendered == "Any":
                    return "Any"
                for piece in rendered.split(" | "):
                    if piece not in parts:
                        parts.append(piece)
            return " | ".join(parts)
        return self._ref(type_, needs)

    def argument(self, argument: m.Argument, needs: Needs) -> str:
        """The annotation of a method's argument (without its default): a client setting is a string, a
        form field or file takes files, raw content takes `ContentInput`."""
        if argument.location == "content":
            needs.runtime.add("ContentInput")
            return "ContentInput"
        annotation = self.render(argument.type, needs, file_parts=argument.location in ("form_field", "file"))
        return "str" if argument.location == "setting" else annotation

    def _primitive(self, type_: t.Primitive, needs: Needs, file_parts: bool) -> str:
        if type_.kind == "string":
            if type_.format in _FORMATS:
                name = _FORMATS[type_.format]
                needs.datetime.add(name)
                return f"_dt.{name}"  # the module, aliased: a field may well be called `date`
            return needs.builtin("str")
        if type_.kind == "binary":
            if file_parts:
                needs.runtime.add("FileInput")
                return "FileInput"
            return needs.builtin("str")
        simple = {"integer": "int", "number": "float", "boolean": "bool", "null": "None"}
        if type_.kind in simple:
            return needs.builtin(simple[type_.kind])
        needs.typing.add("Any")
        return "Any"

    def _literal(self, values: tuple[str | int | float | bool, ...], needs: Needs, *, tolerant: bool) -> str:
        if has_float(
            values
        ):  # `Literal` cannot hold a float: the numbers widen to `float` (see `allowed_values`)
            number = needs.builtin("float")
            rest = tuple(v for v in values if isinstance(v, str | bool))
            return (
                f"{self._literal(rest, needs, tolerant=tolerant and len(rest) > 1)} | {number}"
                if rest
                else number
            )
        needs.typing.add("Literal")
        literal = "Literal[" + ", ".join(_python_literal(v) for v in values) + "]"
        if not tolerant:
            return literal
        kinds = {type(v) for v in values}
        open_type = {str: "str", int: "int", float: "float", bool: "bool"}.get(next(iter(kinds)))
        return f"{literal} | {needs.builtin(open_type)}" if len(kinds) == 1 and open_type else literal

    def _ref(self, ref: t.Ref, needs: Needs) -> str:
        needs.models.add(ref.name)
        target = self.models[ref.name]
        if isinstance(target, m.EnumModel) and len(target.members) > 1 and not has_float(enum_values(target)):
            base = {str: "str", int: "int", float: "float", bool: "bool"}.get(type(target.members[0].value))
            return f"{ref.name} | {needs.builtin(base)}" if base else ref.name
        return ref.name

    def enum_literal(self, model: m.EnumModel, needs: Needs) -> str:
        return self._literal(enum_values(model), needs, tolerant=False)

    def open_union_tag(self, model: m.Model) -> str | None:
        """The python name of the tag field of a union rendered open to unknown variants.

        A named union whose `discriminator` every variant (a model) declares as a required,
        single-value literal: it validates by that tag and keeps an unknown tag as `UnknownVariant`.
        """
        if not isinstance(model, m.UnionModel) or model.discriminator is None:
            return None
        python_names = set()
        for variant in model.variants:
            target = self.models.get(variant.name) if isinstance(variant, t.Ref) else None
            if not isinstance(target, m.ObjectModel):
                return None
            tag = next((f for f in target.fields if f.name.wire == model.discriminator.wire), None)
            if tag is None or not tag.required or not self.is_exact_literal(tag.type):
                return None
            python_names.add(tag.name.python)
        return python_names.pop() if len(python_names) == 1 and len(model.variants) > 1 else None

    def closed(self, type_: t.TypeRef, needs: Needs) -> str:
        """The runtime value of `type_` where an unknown variant is skipped, not kept (streams, frames,
        webhooks look for the validation error): `closed_union(X)` for an open union `X`."""
        rendered = self.render(type_, needs)
        if isinstance(type_, t.Ref) and self.open_union_tag(self.models[type_.name]) is not None:
            needs.runtime.add("closed_union")
            return f"closed_union({rendered})"
        return rendered

    def known_variants(self, type_: t.TypeRef, needs: Needs) -> str:
        """The annotation of what `closed(type_)` yields: an open union's known variants only."""
        target = self.models.get(type_.name) if isinstance(type_, t.Ref) else None
        if isinstance(target, m.UnionModel) and self.open_union_tag(target) is not None:
            return self.render(t.Union(target.variants), needs)
        return self.render(type_, needs)

    def is_exact_literal(self, type_: t.TypeRef) -> bool:
        """A single-value literal (inline or a one-member enum): usable as a union discriminator."""
        if isinstance(type_, t.Literal):
            return len(type_.values) == 1 and not has_float(type_.values)
        if isinstance(type_, t.Ref):
            target = self.models.get(type_.name)
            return (
                isinstance(target, m.EnumModel)
                and len(target.members) == 1
                and not has_float(enum_values(target))
            )
        return False


def enum_values(model: m.EnumModel) -> tuple[str | int | float | bool, ...]:
    return tuple(member.value for member in model.members)


def has_float(values: Iterable[str | int | float | bool]) -> bool:
    """Whether an enum has a value `Literal` cannot hold (`enum: [38.8978168]`): it is annotated `float`."""
    return any(isinstance(v, float) for v in values)


def renders_float(values: tuple[str | int | float | bool, ...]) -> bool:
    """Whether an enum's annotation is plainly `float` (only numbers, one of them not an integer)."""
    return has_float(values) and not any(isinstance(v, str | bool) for v in values)


def allowed_values(type_: t.TypeRef | m.EnumModel) -> str:
    """For an enum annotated wider than its values (a float enum), the sentence listing them; else ""."""
    values = enum_values(type_) if isinstance(type_, m.EnumModel) else _literal_values(type_)
    if not has_float(values):
        return ""
    return "One of: " + ", ".join(_python_literal(v) for v in values) + "."


def _literal_values(type_: t.TypeRef) -> tuple[str | int | float | bool, ...]:
    if isinstance(type_, t.Nullable):
        return _literal_values(type_.inner)
    return type_.values if isinstance(type_, t.Literal) else ()


def _python_literal(value: str | int | float | bool) -> str:
    if isinstance(value, str):
        return python_string(value)
    return repr(value)


_PLAIN = re.compile(r'[^"\\\x00-\x1f\x7f\u2028\u2029\ud800-\udfff]*')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SPECIAL = re.compile(r'["\\\x00-\x1f\x7f\u2028\u2029\ud800-\udfff]')


def python_string(value: str) -> str:
    """A double-quoted Python string literal for any text (escapes quotes, backslashes, control chars)."""
    if _PLAIN.fullmatch(value):
        return f'"{value}"'
    return '"' + _SPECIAL.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), value) + '"'


def python_value(value: m.JsonValue) -> str:
    """A Python literal of a JSON value: `{"a": [1, True, None]}`."""
    if isinstance(value, str):
        return python_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(python_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{python_string(k)}: {python_value(v)}" for k, v in value.items()) + "}"
    return repr(value)


def python_tuple(values: Iterable[str]) -> str:
    """A tuple literal of strings: `("a",)`, `("a", "b")`."""
    items = [python_string(v) for v in values]
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
