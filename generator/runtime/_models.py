"""The base class of generated models and cached validation against arbitrary type hints."""

from __future__ import annotations

import threading
from typing import Any, Literal, TypeGuard, cast

import pydantic
from pydantic import ConfigDict

__all__ = ["BaseModel", "type_adapter", "validate_as"]


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
    if _is_model_class(type_):
        return type_.model_validate(data)
    return type_adapter(type_).validate_python(data)


def _is_model_class(hint: object) -> TypeGuard[type[pydantic.BaseModel]]:
    return isinstance(hint, type) and issubclass(hint, pydantic.BaseModel)
