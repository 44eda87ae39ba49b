"""The IR of schemas: the named models a package defines, their fields, and the names every IR value keeps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as TypingLiteral

from .types import Discriminator, TypeRef


@dataclass(frozen=True)
class Name:
    python: str
    wire: str


JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


@dataclass(frozen=True)
class Field:
    name: Name
    type: TypeRef
    required: bool
    description: str = ""
    default: JsonValue = None
    has_default: bool = False
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False
    examples: tuple[JsonValue, ...] = ()
    """The spec's `examples` then `example` of the property (or of the scalar schema it refers to)."""


@dataclass(frozen=True)
class ObjectModel:
    """A JSON object with known properties; `extra` types the unknown ones (None: anything)."""

    name: str
    wire_name: str
    fields: tuple[Field, ...]
    description: str = ""
    extra: TypeRef | None = None
    kind: TypingLiteral["object"] = "object"


@dataclass(frozen=True)
class EnumMember:
    name: str
    value: str | int | float | bool


@dataclass(frozen=True)
class EnumModel:
    name: str
    wire_name: str
    members: tuple[EnumMember, ...]
    description: str = ""
    kind: TypingLiteral["enum"] = "enum"


@dataclass(frozen=True)
class UnionModel:
    name: str
    wire_name: str
    variants: tuple[TypeRef, ...]
    discriminator: Discriminator | None
    description: str = ""
    kind: TypingLiteral["union"] = "union"


@dataclass(frozen=True)
class AliasModel:
    """A named schema that is not an object, enum or union (an array, a map, a scalar)."""

    name: str
    wire_name: str
    type: TypeRef
    description: str = ""
    kind: TypingLiteral["alias"] = "alias"


Model = ObjectModel | EnumModel | UnionModel | AliasModel
