"""Type expressions of the IR: what a field, parameter, body or response holds.

A type is a small tree of frozen values. Named things (models, enums, unions) live in `Api.models` and are
referenced by `Ref`; everything else is structural.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as TypingLiteral

PrimitiveKind = TypingLiteral["string", "integer", "number", "boolean", "any", "null", "binary"]


@dataclass(frozen=True)
class Primitive:
    """A scalar; `format` keeps the spec's format (date-time, uuid, int64, ...)."""

    kind: PrimitiveKind
    format: str | None = None


@dataclass(frozen=True)
class Literal:
    """An inline enum or const: one of these JSON scalar values."""

    values: tuple[str | int | float | bool, ...]


@dataclass(frozen=True)
class Array:
    items: TypeRef


@dataclass(frozen=True)
class Map:
    """A JSON object with arbitrary keys and values of one type."""

    values: TypeRef


@dataclass(frozen=True)
class Ref:
    """A named model, enum or union in `Api.models`, by its python class name."""

    name: str


@dataclass(frozen=True)
class Union:
    """One of several types. `discriminator` is set when a property tells the variants apart."""

    variants: tuple[TypeRef, ...]
    discriminator: Discriminator | None = None


@dataclass(frozen=True)
class Nullable:
    """The inner type or JSON null."""

    inner: TypeRef


@dataclass(frozen=True)
class Discriminator:
    """`wire` is the property name on the wire; mapping pairs each tag value with a `Ref` name."""

    wire: str
    python: str
    mapping: tuple[tuple[str, str], ...]


TypeRef = Primitive | Literal | Array | Map | Ref | Union | Nullable

ANY = Primitive("any")
