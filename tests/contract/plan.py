"""One call per operation, built from the parsed IR and the spec's examples and schemas.

Nothing here lists operations by hand: every operation of the IR gets a value for each of its parameters
and body fields from the spec (an `example` when the spec gives one, else a value made from the schema:
every writable property three levels deep, formats, enums, bounds), keyed by the python names the
generated method takes. Client settings (`organization_id`, `project`) and extra hosts (`agent`) get values
the same way. The plan is plain JSON so the runner can execute it inside the fresh virtual environment
where the wheels are installed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.ir import model as m
from generator.ir import types as t
from generator.load import load, resolve_pointer
from generator.pipeline import build_ir

FORMAT_SAMPLES = {
    "date-time": "2026-06-21T12:00:00Z",
    "date": "2026-06-21",
    "time": "12:00:00Z",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "email": "dev@example.com",
    "uri": "https://example.com/callback",
    "url": "https://example.com/callback",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "byte": "aGVsbG8=",
}
FILE_CONTENT = "contract test file\n"
FULL_DEPTH = 3


def walk(
    resources: tuple[m.Resource, ...], chain: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], m.Operation]]:
    """Every operation with the attribute chain that reaches its resource from the client."""
    for resource in resources:
        here = (*chain, resource.name.python)
        for op in resource.operations:
            yield here, op
        yield from walk(resource.resources, here)


class Sampler:
    """Values that satisfy a JSON schema of the document, preferring the document's own examples."""

    def __init__(self, data: dict[str, Any], *, full: bool = False) -> None:
        self.data = data
        self.full = full  # every writable property down to FULL_DEPTH, not only the required ones

    def deref(self, node: Any) -> Any:
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
            seen.add(node["$ref"])
            node = resolve_pointer(self.data, node["$ref"])
        return node

    def merged(self, schema: Any) -> dict[str, Any]:
        """The schema with `allOf` folded in (properties and required lists joined)."""
        schema = self.deref(schema)
        if not isinstance(schema, dict):
            return {}
        if "allOf" not in schema:
            return schema
        out: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        properties = dict(out.get("properties") or {})
        required = list(out.get("required") or [])
        for part in schema["allOf"]:
            part = self.merged(part)
            properties.update(part.get("properties") or {})
            required += [r for r in part.get("required") or [] if r not in required]
            for key, value in part.items():
                if key not in ("properties", "required"):
                    out.setdefault(key, value)
        out["properties"], out["required"] = properties, required
        return out

    def sample(self, schema: Any, depth: int = 0) -> Any:
        schema = self.merged(schema)
        if not schema:
            return "sample"
        for key in ("example", "const"):
            if key in schema:
                return copy.deepcopy(schema[key])
        if isinstance(schema.get("examples"), list) and schema["examples"]:
            return copy.deepcopy(schema["examples"][0])
        if isinstance(schema.get("enum"), list):
            values = [v for v in schema["enum"] if v is not None]
            if values:
                return values[0]
        if schema.get("default") is not None:
            return copy.deepcopy(schema["default"])
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list):
                return self._variant(schema, key, depth)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind is None:
            kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
        if kind == "object":
            return self._object(schema, depth)
        if kind == "array":
            count = max(1, int(schema.get("minItems", 1)))
            item = self.sample(schema.get("items") or {}, depth + 1)
            return [copy.deepcopy(item) for _ in range(count)]
        if kind == "integer":
            return int(self._number(schema, 1))
        if kind == "number":
            return float(self._number(schema, 1))
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return self._string(schema)

    def _variant(self, schema: dict[str, Any], key: str, depth: int) -> Any:
        variants = [v for v in schema[key] if self.merged(v).get("type") != "null"] or schema[key]
        chosen = variants[0]
        value = self.sample(chosen, depth)
        discriminator = schema.get("discriminator")
        if isinstance(discriminator, dict) and isinstance(value, dict):
            prop = discriminator.get("propertyName")
            ref = chosen.get("$ref") if isinstance(chosen, dict) else None
            tag = next((k for k, v in (discriminator.get("mapping") or {}).items() if v == ref), None)
            if tag is None:
                tag = self.sample((self.merged(chosen).get("properties") or {}).get(prop) or {}, depth)
            if prop:
                value[prop] = tag
        return value

    def _object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        properties = schema.get("properties") or {}
        names = list(schema.get("required") or [])
        if self.full and depth < FULL_DEPTH:
            names += [
                n for n, p in properties.items() if n not in names and not self.merged(p).get("readOnly")
            ]
        out = {name: self.sample(properties.get(name) or {}, depth + 1) for name in names}
        if len(out) < int(schema.get("minProperties", 0)):
            extra = schema.get("additionalProperties")
            if properties:
                name = next(n for n in properties if n not in out)
                out[name] = self.sample(properties[name], depth + 1)
            else:
                out["key"] = self.sample(extra if isinstance(extra, dict) else {}, depth + 1)
        return out

    @staticmethod
    def _number(schema: dict[str, Any], fallback: float) -> float:
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        value = fallback if low is None else low + (1 if "exclusiveMinimum" in schema else 0)
        if high is not None and value > high:
            value = high
        return value

    @staticmethod
    def _string(schema: dict[str, Any]) -> str:
        text = FORMAT_SAMPLES.get(str(schema.get("format")), "sample")
        if schema.get("pattern") == "^sha256=[0-9a-f]{64}$":
            text = "sha256=" + "0" * 64
        minimum, maximum = int(schema.get("minLength", 0)), schema.get("maxLength")
        if len(text) < minimum:
            text = text + "x" * (minimum - len(text))
        if maximum is not None:
            text = text[: int(maximum)]
        return text


def _object_models(api: m.Api) -> dict[str, m.ObjectModel]:
    return {model.name: model for model in api.models if isinstance(model, m.ObjectModel)}


def _raw_parameters(sampler: Sampler, op: m.Operation) -> dict[tuple[str, str], dict[str, Any]]:
    operation = resolve_pointer(sampler.data, "#" + op.pointer)
    path_item = resolve_pointer(sampler.data, "#" + op.pointer.rsplit("/", 1)[0])
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*(path_item.get("parameters") or []), *(operation.get("parameters") or [])]:
        param = sampler.deref(raw)
        found[(param["name"], param["in"])] = param
    return found


def _param_value(sampler: Sampler, raw: dict[str, Any]) -> Any:
    if "example" in raw:
        return raw["example"]
    examples = raw.get("examples")
    if isinstance(examples, dict) and examples:
        first = sampler.deref(next(iter(examples.values())))
        if isinstance(first, dict) and "value" in first:
            return first["value"]
    return sampler.sample(raw.get("schema") or {})


def _file(name: str) -> dict[str, str]:
    return {"__file__": f"{name}.txt", "content": FILE_CONTENT, "type": "text/plain"}


def _body_kwargs(
    sampler: Sampler, op: m.Operation, models: dict[str, m.ObjectModel], names: dict[tuple[str, str], str]
) -> dict[str, Any]:
    """Sample body arguments, named as the method's call surface (`op.call`) names them."""
    body = op.body
    if body is None:
        return {}
    operation = resolve_pointer(sampler.data, "#" + op.pointer)
    raw_body = sampler.deref(operation["requestBody"])
    media = raw_body["content"][body.content_type] or {}
    schema = media.get("schema") or {}
    if body.kind in ("binary", "text"):
        return {names["content", ""]: {"__bytes__": FILE_CONTENT}}
    if body.kind in ("multipart", "form"):
        properties = sampler.merged(schema).get("properties") or {}
        structured = _structured_parts(sampler, op)
        kwargs: dict[str, Any] = {}
        for part in body.parts:
            python = names["file" if part.is_file else "form_field", part.name.wire]
            if not part.required and part.name.wire in structured:
                continue  # Prism cannot read it (see test_prism_contract.only_multipart_text_gap)
            if part.is_file:
                kwargs[python] = [_file(part.name.wire)] if part.many else _file(part.name.wire)
            else:
                kwargs[python] = sampler.sample(properties.get(part.name.wire) or {})
        return kwargs
    value = media["example"] if "example" in media else sampler.sample(schema)
    model = models.get(body.type.name) if isinstance(body.type, t.Ref) else None
    if model is None:
        return {names["body", ""]: value}
    kwargs = {}
    fields = {f.name.wire: f for f in model.fields if not f.read_only}
    pythons = {wire: names["body_field", wire] for wire in fields}
    extra = {}
    for wire, item in (value or {}).items():
        if wire in pythons:
            kwargs[pythons[wire]] = item
        else:
            extra[wire] = item
    if extra:
        kwargs["extra_body"] = extra
    return kwargs


def _structured_parts(sampler: Sampler, op: m.Operation) -> list[str]:
    """Multipart parts holding an array (sent as repeated parts) or an object (sent as JSON text)."""
    if op.body is None or op.body.kind != "multipart":
        return []
    operation = resolve_pointer(sampler.data, "#" + op.pointer)
    media = sampler.deref(operation["requestBody"])["content"][op.body.content_type] or {}
    properties = sampler.merged(media.get("schema") or {}).get("properties") or {}
    found = []
    for part in op.body.parts:
        schema = sampler.merged(properties.get(part.name.wire) or {})
        kinds = schema.get("type") if isinstance(schema.get("type"), list) else [schema.get("type")]
        if part.many or {"array", "object"} & set(kinds) or "additionalProperties" in schema:
            found.append(part.name.wire)
    return found


def build_plan(spec: Path, config: Path) -> dict[str, Any]:
    """The client to build (package, class, settings, extra hosts) and every operation of the spec as
    `{id, attrs, method, kwargs}`; WebSocket operations apart."""
    api = build_ir(spec, config)
    sampler = Sampler(load(spec).data, full=True)
    models = _object_models(api)
    calls: list[dict[str, Any]] = []
    websocket: list[str] = []
    settings: dict[str, str] = {}
    for chain, op in walk(api.resources):
        raw_params = _raw_parameters(sampler, op)
        for param in op.params:
            if param.setting is not None and param.setting not in settings:
                value = _param_value(sampler, raw_params[(param.name.wire, param.location)])
                settings[param.setting] = str(value)
        if op.websocket is not None:
            websocket.append(op.id)
            continue
        names = {(a.location, a.name.wire): a.name.python for a in op.call.arguments}
        kwargs: dict[str, Any] = {}
        for param in op.params:
            if param.location == "cookie" or param.setting is not None:
                continue
            python = names[param.location, param.name.wire]
            kwargs[python] = _param_value(sampler, raw_params[(param.name.wire, param.location)])
        kwargs.update(_body_kwargs(sampler, op, models, names))
        calls.append(
            {
                "id": op.id,
                "http": f"{op.method} {op.path}",
                "attrs": list(chain),
                "method": op.name.python,
                "kwargs": kwargs,
                "structured_parts": _structured_parts(sampler, op),
            }
        )
    return {
        "package": api.package.import_name,
        "client": api.package.client_class,
        "settings": settings,
        "servers": sorted(server.name for server in api.alt_servers if server.name),
        "calls": calls,
        "websocket": websocket,
    }
