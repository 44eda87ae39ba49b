"""Operation parameters: path-level and operation-level merged, `$ref`s followed, client settings found."""

from __future__ import annotations

import re
from typing import Any

from ..errors import SpecError, escape_pointer_token
from ..ir import model as m
from .names import NameScope, pascal, snake
from .schemas import SchemaParser

_TEMPLATE_VAR = re.compile(r"\{([^{}]+)\}")
_LOCATIONS = ("path", "query", "header", "cookie")


def path_variables(path: str) -> list[str]:
    return _TEMPLATE_VAR.findall(path)


class SettingRegistry:
    """Collects `x-client-setting`s; one name must mean one parameter everywhere it is used."""

    def __init__(self) -> None:
        self._settings: dict[str, m.Setting] = {}

    def register(self, raw: Any, param: dict[str, Any], at: str) -> str:
        if isinstance(raw, str):
            raw = {"name": raw}
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise SpecError("x-client-setting needs a `name`", at=at + "/x-client-setting")
        name = snake(raw["name"])
        setting = m.Setting(
            name=name,
            env=raw.get("env") if isinstance(raw.get("env"), str) else None,
            location=param["in"],
            wire=param["name"],
            required=param.get("required") is True,
            description=(param.get("description") or "").strip(),
        )
        known = self._settings.get(name)
        if known is None:
            self._settings[name] = setting
        elif (known.location, known.wire) != (setting.location, setting.wire):
            raise SpecError(
                f"client setting {name!r} is bound to {known.location} {known.wire!r} elsewhere",
                at=at + "/x-client-setting",
            )
        elif known.required and not setting.required:
            self._settings[name] = setting
        return name

    def settings(self) -> tuple[m.Setting, ...]:
        return tuple(self._settings[k] for k in sorted(self._settings))


def parse_parameters(
    doc_resolve: Any,
    path: str,
    path_item: dict[str, Any],
    operation: dict[str, Any],
    op_at: str,
    path_at: str,
    schemas: SchemaParser,
    settings: SettingRegistry,
    scope: NameScope,
    hint: str,
) -> tuple[m.Param, ...]:
    """The operation's parameters in a stable order: path (in template order), query, header, cookie."""
    merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for source, source_at in ((path_item, path_at), (operation, op_at)):
        raw_list = source.get("parameters") or []
        if not isinstance(raw_list, list):
            raise SpecError("parameters must be a list", at=source_at + "/parameters")
        for index, raw in enumerate(raw_list):
            at = f"{source_at}/parameters/{index}"
            param, param_at = _resolve(doc_resolve, raw, at)
            if not isinstance(param.get("name"), str) or param.get("in") not in _LOCATIONS:
                raise SpecError("a parameter needs a `name` and an `in` of path/query/header/cookie", at=at)
            merged[(param["in"], param["name"])] = (param, param_at if "$ref" not in raw else at)

    variables = path_variables(path)
    for (location, name), (_, at) in merged.items():
        if location == "path" and name not in variables:
            raise SpecError(f"path parameter {name!r} does not appear in the path {path!r}", at=at)
    declared = {name for (location, name) in merged if location == "path"}
    for variable in variables:
        if variable not in declared:
            raise SpecError(f"path template variable {{{variable}}} has no path parameter", at=op_at)

    order = {loc: i for i, loc in enumerate(_LOCATIONS)}
    keys = sorted(
        merged,
        key=lambda k: (order[k[0]], variables.index(k[1]) if k[0] == "path" else 0),
    )
    params = []
    for key in keys:
        param, at = merged[key]
        params.append(_param(param, at, doc_resolve, schemas, settings, scope, hint))
    return tuple(params)


def _resolve(doc_resolve: Any, raw: Any, at: str) -> tuple[dict[str, Any], str]:
    if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
        target = doc_resolve(raw["$ref"], at)
        if not isinstance(target, dict):
            raise SpecError("a parameter must be an object", at=at)
        return target, raw["$ref"][1:]
    if not isinstance(raw, dict):
        raise SpecError("a parameter must be an object", at=at)
    return raw, at


def _param(
    param: dict[str, Any],
    at: str,
    doc_resolve: Any,
    schemas: SchemaParser,
    settings: SettingRegistry,
    scope: NameScope,
    hint: str,
) -> m.Param:
    location = param["in"]
    wire = param["name"]
    required = location == "path" or param.get("required") is True
    setting = None
    if "x-client-setting" in param:
        setting = settings.register(param["x-client-setting"], param, at)
    schema = param.get("schema")
    schema_at = at + "/schema"
    if schema is None and isinstance(param.get("content"), dict) and param["content"]:
        media_type = next(iter(param["content"]))
        schema = param["content"][media_type].get("schema")
        schema_at = f"{at}/content/{escape_pointer_token(media_type)}/schema"
    param_type = schemas.type_of(schema, schema_at, hint + pascal(wire))
    resolved, _ = schemas.resolve(schema, schema_at) if schema is not None else ({}, at)
    python = scope.claim(setting or snake(wire))
    explode = param.get("explode")
    return m.Param(
        name=m.Name(python, wire),
        location=location,
        type=param_type,
        required=required,
        description=(param.get("description") or resolved.get("description") or "").strip(),
        default=resolved.get("default"),
        has_default="default" in resolved,
        setting=setting,
        explode=explode if isinstance(explode, bool) else param.get("style", "form") == "form",
        deprecated=param.get("deprecated") is True,
    )
