"""The base class of generated models and cached validation against arbitrary type hints.

Importing this module loads pydantic's model machinery, so the rest of the runtime imports it on
first use: importing a generated package and constructing its client do not need it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Literal, TypeGuard, cast

import pydantic
from pydantic import ConfigDict

__all__ = ["BaseModel", "json_validator", "python_validator", "type_adapter", "validate_as"]


class BaseModel(pydantic.BaseModel):
    """A response or request model.

    Unknown fields are kept and readable as attributes (``extra="allow"``); fields can be set by
    their python name or their wire alias. ``to_dict``/``to_json`` use wire names.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        protected_namespaces=(),
    )

    def to_dict(
        self,
        *,
        by_alias: bool = True,
        exclude_unset: bool = True,
        exclude_none: bool = False,
        mode: Literal["json", "python"] = "json",
    ) -> dict[str, Any]:
        """Return the model as a dict keyed by wire names (only fields that were set)."""
        return self.model_dump(
            mode=mode, by_alias=by_alias, exclude_unset=exclude_unset, exclude_none=exclude_none
        )

    def to_json(
        self,
        *,
        indent: int | None = 2,
        by_alias: bool = True,
        exclude_unset: bool = True,
        exclude_none: bool = False,
    ) -> str:
        """Return the model as a JSON string keyed by wire names (only fields that were set)."""
        return self.model_dump_json(
            indent=indent, by_alias=by_alias, exclude_unset=exclude_unset, exclude_none=exclude_none
        )


_ADAPTERS: dict[object, pydantic.TypeAdapter[Any]] = {}
_ADAPTERS_LOCK = threading.Lock()


def type_adapter(type_: object) -> pydantic.TypeAdapter[Any]:
    """Return a cached ``TypeAdapter`` for any type hint pydantic accepts."""
    try:
        cached = _ADAPTERS.get(type_)
    except TypeError:  # an unhashable hint
        return pydantic.TypeAdapter(cast(Any, type_))
    if cached is not None:
        return cached
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(cast(Any, type_))
    with _ADAPTERS_LOCK:
        _ADAPTERS[type_] = adapter
    return adapter


def validate_as(type_: object, data: object) -> Any:
    """Validate ``data`` (parsed JSON) as ``type_``: a model class or any other type hint."""
    return python_validator(type_)(data)


def python_validator(type_: object) -> Callable[[object], Any]:
    """What :func:`validate_as` does for ``type_``, as one callable to keep for many values."""
    validate: Callable[[object], Any] = _validator(type_).validate_python
    return validate


def json_validator(type_: object) -> Callable[[str | bytes], Any]:
    """Parse JSON text and validate it as ``type_`` in one step (pydantic-core's JSON mode)."""
    validate: Callable[[str | bytes], Any] = _validator(type_).validate_json
    return validate


def _validator(type_: object) -> Any:
    if _is_model_class(type_):
        return type_.__pydantic_validator__
    return type_adapter(type_).validator


def _is_model_class(hint: object) -> TypeGuard[type[pydantic.BaseModel]]:
    return isinstance(hint, type) and issubclass(hint, pydantic.BaseModel)
