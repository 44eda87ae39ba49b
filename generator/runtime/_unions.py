"""Open tagged unions: a discriminated union that keeps a variant it does not know.

A vendor adds a variant to a union (``{"kind": "parrot"}`` where the document knew ``cat`` and
``dog``) long before every client is regenerated. A generated union alias is spelled

    Pet: TypeAlias = Annotated[Cat | Dog | UnknownVariant, OpenUnion("kind")]

so type checkers see ``Cat | Dog | UnknownVariant``, and validation picks the variant by its tag
like pydantic's discriminated unions do, except that a tag the client does not know becomes an
:class:`UnknownVariant` holding the tag and the object as received, where it used to be a
validation error. A known tag whose object does not match its variant is still an error.

Streams, WebSocket sessions and webhooks skip (or report) events of unknown types; they validate
against :func:`closed_union` of the alias, which raises the ``union_tag_invalid`` error they look for.
"""

from __future__ import annotations

import threading
import types
import typing
from collections.abc import Mapping
from typing import Annotated, Any, Union, cast

import pydantic
from pydantic import ConfigDict, Discriminator, GetCoreSchemaHandler, model_serializer
from pydantic.fields import FieldInfo
from pydantic_core import core_schema

from ._models import BaseModel

__all__ = ["OpenUnion", "UnknownVariant", "closed_union"]


class UnknownVariant(BaseModel):
    """A member of a tagged union whose tag this client does not know.

    The API added a variant after the package was generated. ``tag`` is the value of the
    discriminator property, ``data`` the whole object as received (wire names); serializing it
    (``to_dict()``, or inside a request body) gives ``data`` back unchanged. Match on it like on any
    variant: ``case UnknownVariant(tag=tag, data=data):`` or ``isinstance(x, UnknownVariant)``.
    To send a variant the client does not know yet, build one: ``UnknownVariant(tag=..., data=...)``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    tag: str
    """The discriminator's value, as received (``"parrot"``)."""
    data: dict[str, Any]
    """The object as received, tag included, keyed by wire names."""

    @model_serializer(mode="plain")
    def _as_received(self) -> dict[str, Any]:
        return self.data


class OpenUnion:
    """``Annotated`` metadata making a union of models a tagged union open to unknown tags.

    ``field`` is the python name of the tag field every known variant declares as a literal; the
    variants are the union's members other than :class:`UnknownVariant`.
    """

    __slots__ = ("closed", "field")

    def __init__(self, field: str, *, closed: bool = False) -> None:
        self.field = field
        self.closed = closed

    def __repr__(self) -> str:
        closed = ", closed=True" if self.closed else ""
        return f"OpenUnion({self.field!r}{closed})"

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        known = _known_variants(source)
        tagged: Any = Annotated[Union[tuple(known)], Discriminator(self.field)]  # noqa: UP007
        inner = handler.generate_schema(tagged)
        if self.closed or len(known) < 2:
            return inner
        wire = _wire_tag(known[0], self.field)

        def validate(value: Any, validate_known: core_schema.ValidatorFunctionWrapHandler) -> Any:
            if isinstance(value, UnknownVariant):
                return value
            try:
                return validate_known(value)
            except pydantic.ValidationError as exc:
                unknown = _unknown(value, wire, exc)
                if unknown is None:
                    raise
                return unknown

        def serialize(value: Any, serialize_known: core_schema.SerializerFunctionWrapHandler) -> Any:
            if isinstance(value, UnknownVariant):
                return value.data
            return serialize_known(value)

        return core_schema.no_info_wrap_validator_function(
            validate,
            inner,
            serialization=core_schema.wrap_serializer_function_ser_schema(serialize, schema=inner),
        )


def _known_variants(source: Any) -> list[Any]:
    if typing.get_origin(source) not in (Union, types.UnionType):
        raise TypeError(f"OpenUnion annotates a union of models, not {source!r}")
    return [arg for arg in typing.get_args(source) if arg is not UnknownVariant]


def _wire_tag(model: object, field: str) -> str:
    """The wire name of the tag field (its alias, if the model gives it one)."""
    if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)):
        return field
    fields: dict[str, FieldInfo] = model.model_fields
    info = fields.get(field)
    alias: object = None if info is None else info.validation_alias or info.alias
    return alias if isinstance(alias, str) else field


def _unknown(value: object, wire: str, exc: pydantic.ValidationError) -> UnknownVariant | None:
    """The :class:`UnknownVariant` of ``value`` when the error is only that its tag is unknown."""
    errors = exc.errors()
    if len(errors) != 1 or errors[0]["type"] != "union_tag_invalid" or errors[0]["loc"] != ():
        return None
    if not isinstance(value, Mapping):
        return None
    received = cast("Mapping[object, object]", value)
    tag = received.get(wire)
    if not isinstance(tag, str):
        return None
    return UnknownVariant(tag=tag, data={str(k): v for k, v in received.items()})


_CLOSED: dict[object, object] = {}
_CLOSED_LOCK = threading.Lock()


def closed_union(type_: object) -> object:
    """``type_`` with an :class:`OpenUnion` made strict: an unknown tag is a validation error again.

    What SSE streams, WebSocket sessions and webhooks validate against: they skip (or report)
    events of unknown types by the ``union_tag_invalid`` error. Any other type is returned as is.
    """
    if typing.get_origin(type_) is not Annotated:
        return type_
    try:
        cached = _CLOSED.get(type_)
    except TypeError:
        return type_
    if cached is not None:
        return cached
    source, *metadata = typing.get_args(type_)
    opened = [m for m in metadata if isinstance(m, OpenUnion)]
    if not opened or opened[0].closed:
        return type_
    others = [m for m in metadata if not isinstance(m, OpenUnion)]
    known = _known_variants(source)
    union: Any = Union[tuple(known)]  # noqa: UP007
    closed: object = Annotated[union, OpenUnion(opened[0].field, closed=True), *others]
    with _CLOSED_LOCK:
        _CLOSED[type_] = closed
    return closed
