"""Valid, realistic model instances for tests: ``fake(Model, **overrides)`` and ``fake_value(type)``.

Only the package's test kit imports this module (``import <package>`` never does).

What a field gets, in order:

1. the override given for it (by python name; a dict for a field holding a model fills that model's
   other fields too, and so does each dict of a list of models; for a union of models, the dict
   fills the first variant it is valid for, so ``{"kind": "dog"}`` picks the ``dog`` variant);
2. its first example (``Field(examples=[...])``, which the generator copies from the spec's
   ``example``/``examples``) that validates;
3. its default, when it has one other than ``None``, else the default its JSON schema gives
   (``json_schema_extra={"default": ...}``: the generator's way of saying what the server applies);
4. a required field gets a value made from the seed and its path (``Agent.profile.name``):
   strings ``<field>-<hex>``, numbers within their bounds, the first member of an enum or literal,
   the first variant of a union (the tag of a tagged union set), one item in a list or dict,
   aware datetimes in 2024, version-4 uuids. An optional field without an example or default is
   left out (unset, so ``to_dict()`` omits it).

A model declaring no fields (a free-form object, ``additionalProperties: true``) takes any
overrides as its content; any other model rejects a name it does not declare (``TypeError``).

The same seed (``None`` is ``0``) gives the same instance in every process. A model that refers to
itself stops where the recursion may: lists of it stay empty and optional references ``None``.
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal, TypeVar, Union, cast

import pydantic
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined, SchemaError

from ._fake_scalars import Constraints, Unsatisfiable, digest, scalar
from ._models import type_adapter
from ._unions import UnknownVariant

__all__ = ["FakeError", "fake", "fake_value"]

M = TypeVar("M", bound=pydantic.BaseModel)

_MAX_VISITS = 3  # how often one model may appear on the path from the root (a recursive model)
_SETS: tuple[object, ...] = (set, frozenset, typing.AbstractSet, typing.MutableSet)
_SEQUENCES: tuple[object, ...] = (
    *_SETS,
    *(list, tuple, Sequence, typing.MutableSequence, typing.Collection, typing.Iterable),
)
_MAPPINGS: tuple[object, ...] = (dict, Mapping, typing.MutableMapping)


class FakeError(ValueError):
    """No valid value exists for a field (a pattern or constraints fake values cannot meet)."""


class _Recursion(Exception):
    """A model refers to itself where no value ends the recursion (caught by unions, reported)."""


def fake(model: type[M], /, *, seed: int | None = None, **overrides: object) -> M:
    """A validated instance of ``model`` with every required field filled; see the module docs.

    ``overrides`` set fields by python name (an unknown name raises ``TypeError``; a value of the
    wrong type ``pydantic.ValidationError``); everything else is made from ``seed``.
    """
    if _model_class(model) is None:
        raise TypeError(f"fake() takes a model class, not {model!r}; fake_value() takes any type")
    builder = _Builder(seed)
    try:
        return builder.model(model, model.__name__, dict(overrides))
    except _Recursion as exc:
        raise FakeError(f"cannot fake {model.__name__}: {exc}") from None


def fake_value(annotation: object, /, *, seed: int | None = None) -> object:
    """A validated value of any type hint: a model, a list of models, a union, a primitive."""
    builder = _Builder(seed)
    model = _model_class(annotation)
    try:
        value = builder.value(annotation, "value" if model is None else model.__name__, ())
    except Unsatisfiable as exc:
        raise FakeError(f"cannot fake {annotation!r}: {exc}") from None
    except _Recursion as exc:
        raise FakeError(f"cannot fake {annotation!r}: {exc}") from None
    return type_adapter(annotation).validate_python(value)


class _Builder:
    def __init__(self, seed: int | None) -> None:
        self.seed = 0 if seed is None else seed
        self.stack: list[type[pydantic.BaseModel]] = []

    @property
    def recursing(self) -> bool:
        """Whether some model on the path is inside itself: stop wherever a value may."""
        return len(set(self.stack)) < len(self.stack)

    # ---- models ----------------------------------------------------------------------------------------

    def model(self, cls: type[M], path: str, overrides: dict[str, object]) -> M:
        if not cls.__pydantic_complete__:
            cls.model_rebuild()  # resolve the annotations naming models defined after it
        fields: dict[str, FieldInfo] = cls.model_fields
        if not fields:  # a free-form object: no names to check, the overrides are its content
            return cls.model_validate(overrides)
        for name in overrides:
            if name not in fields:
                raise TypeError(_unknown_field(cls, name, fields))
        if self.stack.count(cls) >= _MAX_VISITS:
            raise _Recursion(f"{path} refers back to {cls.__name__} with no way to stop")
        self.stack.append(cls)
        try:
            if _is_root(cls):
                root = fields["root"]
                value = overrides["root"] if "root" in overrides else self.field(cls, "root", root, path)[1]
                return cls.model_validate(value)
            data: dict[str, object] = {}
            for name, info in fields.items():
                at = f"{path}.{name}"
                if name in overrides:
                    data[_key(cls, name, info)] = self.override(info.annotation, overrides[name], at)
                    continue
                present, value = self.field(cls, name, info, at)
                if present:
                    data[_key(cls, name, info)] = value
            return cls.model_validate(data)
        finally:
            self.stack.pop()

    def field(self, cls: type, name: str, info: FieldInfo, path: str) -> tuple[bool, object]:
        """Whether the field is set, and to what: an example, the default, or a made value."""
        hint = _annotated(info.annotation, tuple(info.metadata))
        for example in info.examples or ():
            valid, value = _validated(hint, example)
            if valid:
                return True, value
        if not info.is_required():
            if info.default_factory is not None and not info.default_factory_takes_validated_data:
                return True, cast(Any, info.default_factory)()
            if info.default is not None and info.default is not PydanticUndefined:
                return True, copy.deepcopy(info.default)
            extra: object = getattr(info, "json_schema_extra", None)  # typed with a partly unknown callable
            schema = cast("dict[str, object]", extra if isinstance(extra, dict) else {})
            if "default" in schema:  # the server's default (generated models)
                valid, value = _validated(hint, schema["default"])
                if valid:
                    return True, value
            return False, None
        try:
            return True, self.value(info.annotation, path, tuple(info.metadata))
        except Unsatisfiable as exc:
            raise FakeError(f"cannot fake {cls.__name__}.{name}: {exc}") from None

    def override(self, annotation: object, value: object, path: str) -> object:
        """An override as given, except that dicts for models are filled to whole models."""
        annotation = _without_none(annotation)
        target = _model_class(annotation)
        if target is not None and isinstance(value, Mapping):
            given = cast("Mapping[object, object]", value)
            return self.model(target, path, {str(k): v for k, v in given.items()})
        origin = typing.get_origin(annotation)
        if origin in (Union, types.UnionType) and isinstance(value, Mapping):
            return self.variant(typing.get_args(annotation), cast("Mapping[object, object]", value), path)
        if origin is not None and origin in _SEQUENCES and isinstance(value, list):
            items = cast("list[object]", value)
            (item,) = typing.get_args(annotation)[:1] or (Any,)
            return [self.override(item, v, f"{path}[{i}]") for i, v in enumerate(items)]
        return value

    def variant(self, variants: tuple[object, ...], given: Mapping[object, object], path: str) -> object:
        """The first model of a union that ``given`` (its tag, say) fills validly; else ``given`` as is."""
        overrides = {str(k): v for k, v in given.items()}
        for option in variants:
            model = _model_class(_unwrap(option)[0])
            if model is None or model is UnknownVariant:
                continue
            try:
                return self.model(model, path, overrides)
            except (TypeError, pydantic.ValidationError):
                continue
        return given

    # ---- any type --------------------------------------------------------------------------------------

    def value(self, annotation: object, path: str, metadata: tuple[object, ...]) -> object:
        """A value of ``annotation`` (with the constraints in ``metadata``), made from the path."""
        annotation, more = _unwrap(annotation)
        metadata = (*metadata, *more)
        origin = typing.get_origin(annotation)
        if annotation is Any or annotation is object:
            return self.value(str, path, ())
        if annotation is None or annotation is type(None):
            return None
        if origin is Literal:
            return typing.get_args(annotation)[0]
        if origin is Union or origin is types.UnionType:
            return self.union(typing.get_args(annotation), path, metadata)
        model = _model_class(annotation)
        if model is not None:
            return self.model(model, path, {})
        if origin is not None and origin in _SEQUENCES:
            return self.sequence(annotation, origin, path, metadata)
        if origin is not None and origin in _MAPPINGS:
            return self.mapping(annotation, path, metadata)
        if annotation in _SEQUENCES or annotation in _MAPPINGS:
            return self.value(cast(Any, annotation)[Any], path, metadata) if annotation is not tuple else ()
        if not isinstance(annotation, type):
            raise Unsatisfiable(f"no fake value for the type {annotation!r}")
        constraints = Constraints.of(metadata)
        hint = _annotated(annotation, metadata)
        name = path.rsplit(".", 1)[-1].split("[", 1)[0]
        engine = self.stack[-1].model_config.get("regex_engine") if self.stack else None
        return scalar(
            annotation, name, digest(self.seed, path), constraints, lambda v: _validated(hint, v, engine)[0]
        )

    def union(self, variants: tuple[object, ...], path: str, metadata: tuple[object, ...]) -> object:
        """The first variant that can be made (``None`` first inside a recursion)."""
        nullable = type(None) in variants or None in variants
        if nullable and self.recursing:
            return None
        concrete = [v for v in variants if v is not None and v is not type(None) and v is not UnknownVariant]
        problem: Exception | None = None
        for variant in concrete:
            try:
                return self.value(variant, path, metadata)
            except (_Recursion, Unsatisfiable) as exc:
                problem = problem or exc
        if problem is None or (nullable and isinstance(problem, _Recursion)):
            return None
        raise problem

    def sequence(self, annotation: object, origin: object, path: str, metadata: tuple[object, ...]) -> object:
        args = typing.get_args(annotation)
        if origin is tuple and args and (len(args) != 2 or args[1] is not Ellipsis):
            return tuple(self.value(a, f"{path}[{i}]", ()) for i, a in enumerate(args))
        count = self.count(metadata)
        item = args[0] if args else Any
        items = [self.value(item, f"{path}[{i}]", ()) for i in range(count)]
        return set(items) if origin in _SETS else items

    def mapping(self, annotation: object, path: str, metadata: tuple[object, ...]) -> object:
        key, item = (*typing.get_args(annotation), Any, Any)[:2]
        result: dict[object, object] = {}
        for i in range(self.count(metadata)):
            result[self.value(key, f"{path}.key{i}", ())] = self.value(item, f"{path}[{i}]", ())
        return result

    def count(self, metadata: tuple[object, ...]) -> int:
        """How many items a list or dict gets: one (none inside a recursion), within its bounds."""
        constraints = Constraints.of(metadata)
        low = constraints.min_length or 0
        count = max(low, 0 if self.recursing else 1)
        if constraints.max_length is not None:
            count = min(count, constraints.max_length)
        return count


def _unwrap(annotation: object) -> tuple[object, tuple[object, ...]]:
    """``annotation`` without ``Annotated`` and type aliases, and the metadata they carried."""
    metadata: tuple[object, ...] = ()
    while True:
        if typing.get_origin(annotation) is Annotated:
            metadata = (*metadata, *getattr(annotation, "__metadata__", ()))
            annotation = typing.get_args(annotation)[0]
        elif type(annotation).__name__ == "TypeAliasType":
            annotation = cast(Any, annotation).__value__
        else:
            return annotation, metadata


def _annotated(annotation: object, metadata: tuple[object, ...]) -> object:
    if not metadata:
        return annotation
    return cast(Any, Annotated)[(annotation, *metadata)]


def _validated(hint: object, value: object, engine: str | None = None) -> tuple[bool, object]:
    """Whether ``value`` is valid as ``hint`` (patterns read by the model's regex engine), and as what."""
    try:
        if engine is None:
            adapter = type_adapter(hint)
        else:
            config = pydantic.ConfigDict(regex_engine=cast(Any, engine))
            adapter = pydantic.TypeAdapter(cast(Any, hint), config=config)
        return True, adapter.validate_python(value)
    except (pydantic.ValidationError, SchemaError, ValueError, TypeError):
        return False, None


def _without_none(annotation: object) -> object:
    """``annotation`` unwrapped, and its one other option if it is ``X | None``."""
    annotation, _ = _unwrap(annotation)
    if typing.get_origin(annotation) in (Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(options) == 1:
            annotation, _ = _unwrap(options[0])
    return annotation


def _model_class(annotation: object) -> type[pydantic.BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    return None


def _is_root(cls: type[pydantic.BaseModel]) -> bool:
    return issubclass(cls, pydantic.RootModel)


def _key(cls: type[pydantic.BaseModel], name: str, info: FieldInfo) -> str:
    """The key a field is validated from: its python name when the model accepts it, else its alias."""
    config = cls.model_config
    if config.get("populate_by_name") or config.get("validate_by_name"):
        return name
    alias = info.validation_alias
    if isinstance(alias, str):
        return alias
    if isinstance(alias, pydantic.AliasChoices) and isinstance(alias.choices[0], str):
        return alias.choices[0]
    return info.alias or name


def _unknown_field(cls: type, name: str, fields: dict[str, FieldInfo]) -> str:
    message = f"{cls.__name__} has no field {name!r}"
    for python, info in fields.items():
        if name in (info.alias, info.validation_alias, info.serialization_alias):
            return f"{message} (its python name is {python!r})"
    return f"{message}; its fields: {', '.join(fields) or 'none'}"
