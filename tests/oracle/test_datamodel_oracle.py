"""datamodel-code-generator as an oracle: for every component schema, its models and ours agree.

Both are generated from the same vendor spec; for each object schema the two classes must have the same
wire field names, the same required fields, and the same JSON-level type per field (a string is a string
whether one side parses it as `datetime` and the other keeps `str`; an enum is its values' type).
"""

from __future__ import annotations

import datetime
import enum
import importlib
import importlib.util
import subprocess
import sys
import types
import typing
import uuid
from pathlib import Path
from typing import Any

import pydantic
import pytest

from tests.conftest import ROOT, VENDORS

_STRINGS = (
    str,
    uuid.UUID,
    datetime.datetime,
    datetime.date,
    datetime.time,
    bytes,
    pydantic.AnyUrl,
    pydantic.AwareDatetime,
    pydantic.NaiveDatetime,
)


def json_kind(annotation: Any) -> str:
    """A JSON-level description of a python annotation, the same for both generators' spellings."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return json_kind(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        kinds = sorted({json_kind(arg) for arg in typing.get_args(annotation) if arg is not type(None)})
        return kinds[0] if len(kinds) == 1 else "union[" + ",".join(kinds) + "]"
    if origin is typing.Literal:
        kinds = sorted({json_kind(type(v)) for v in typing.get_args(annotation)})
        return kinds[0] if len(kinds) == 1 else "union[" + ",".join(kinds) + "]"
    if origin in (list, tuple, set, frozenset):
        args = typing.get_args(annotation)
        return f"list[{json_kind(args[0]) if args else 'any'}]"
    if origin is dict:
        return "object"
    if isinstance(annotation, typing.TypeAliasType if hasattr(typing, "TypeAliasType") else ()):
        return json_kind(annotation.__value__)
    if annotation is Any or annotation is object:
        return "any"
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return json_kind(type(next(iter(annotation)).value))
        if issubclass(annotation, bool):
            return "boolean"
        if issubclass(annotation, int):
            return "integer"
        if issubclass(annotation, float):
            return "number"
        if issubclass(annotation, _STRINGS):
            return "string"
        if issubclass(annotation, pydantic.RootModel):
            return json_kind(annotation.model_fields["root"].annotation)
        if issubclass(annotation, pydantic.BaseModel):
            return "object"
        if annotation is dict:
            return "object"
        if annotation is list:
            return "list[any]"
    name = getattr(annotation, "__name__", "")
    return "string" if "Url" in name or "Email" in name or "Str" in name else repr(annotation)


def shape(model: type[pydantic.BaseModel]) -> dict[str, tuple[bool, str]]:
    """wire name -> (required, JSON kind) of every field."""
    fields = {}
    for name, info in model.model_fields.items():
        wire = info.serialization_alias or info.alias or name
        kind = json_kind(info.annotation)
        if kind == "union[any,object]" or (kind.startswith("union[") and "any" in kind):
            kind = "any"
        fields[wire] = (info.is_required(), kind)
    return fields


def oracle_models(vendor: str, out: Path) -> dict[str, type[pydantic.BaseModel]]:
    target = out / f"oracle_{vendor}.py"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "datamodel_code_generator",
            "--input",
            str(ROOT / "specs" / vendor / "openapi.yaml"),
            "--input-file-type",
            "openapi",
            "--output",
            str(target),
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--target-python-version",
            "3.11",
            "--formatters",
            "ruff-format",
        ],
        check=True,
        capture_output=True,
    )
    spec = importlib.util.spec_from_file_location(f"oracle_{vendor}", target)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return {
        name: value
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, pydantic.BaseModel)
        and not issubclass(value, pydantic.RootModel)
        and value.__module__ == module.__name__
    }


def our_models(vendor: str) -> dict[str, type[pydantic.BaseModel]]:
    sys.path.insert(0, str(ROOT / "generated" / vendor / "src"))
    try:
        models = importlib.import_module(f"{vendor}_typed.models")
        found = {}
        for name in models.__all__:
            value = getattr(models, name)
            if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
                value.model_rebuild()
                found[name] = value
        return found
    finally:
        sys.path.pop(0)


@pytest.mark.parametrize("vendor", VENDORS)
def test_models_agree_with_datamodel_code_generator(vendor: str, tmp_path: Path) -> None:
    theirs = oracle_models(vendor, tmp_path)
    ours = our_models(vendor)
    common = sorted(theirs.keys() & ours.keys())
    assert len(common) >= 0.5 * len(theirs), f"only {len(common)} of {len(theirs)} models in common"
    disagreements = []
    for name in common:
        expected, actual = shape(theirs[name]), shape(ours[name])
        if expected.keys() != actual.keys():
            disagreements.append(f"{name}: fields {sorted(expected.keys() ^ actual.keys())}")
            continue
        for wire, (required, kind) in expected.items():
            if actual[wire] != (required, kind):
                disagreements.append(f"{name}.{wire}: datamodel {(required, kind)}, ours {actual[wire]}")
    assert disagreements == []
