"""JSON Schema (OpenAPI flavour, 3.0 and 3.1) -> IR types and named models.

Names are allocated in two passes: every component schema claims its class name first, so an inline
object hoisted later can never take a component's name. Class names the package defines or imports
besides models (the client's, the resources', the runtime's) are settled before and never yield to a model.
"""

from __future__ import annotations

from typing import Any

from ..errors import SpecError, escape_pointer_token
from ..ir import model as m
from ..ir import types as t
from .examples import examples_of
from .names import IMPORTED_NAMES, NameScope, pascal, snake, upper_snake

COMPONENT_PREFIX = "#/components/schemas/"
_PRIMITIVES = {"string", "integer", "number", "boolean", "null", "object", "array"}


class SchemaParser:
    def __init__(
        self, data: dict[str, Any], warnings: list[str], classes: frozenset[str] = IMPORTED_NAMES
    ) -> None:
        self._data = data
        self._warnings = warnings
        self._classes = classes
        self.class_names = NameScope(set(classes))
        self._by_pointer: dict[str, str] = {}
        self._models: dict[str, m.Model] = {}
        self._building: set[str] = set()
        components = (data.get("components") or {}).get("schemas") or {}
        # Schemas whose own name is free claim it first: a suffixed `PetsResource` never takes the name
        # of a schema called `PetsResourceModel`.
        for suffixed in (False, True):
            for key in components:
                if (pascal(key) in classes) is suffixed:
                    self._by_pointer[COMPONENT_PREFIX + escape_pointer_token(key)] = self.class_names.claim(
                        class_name(key, classes)
                    )

    # ---- public ------------------------------------------------------------------------------------------

    def build_components(self) -> None:
        components = (self._data.get("components") or {}).get("schemas") or {}
        for key in components:
            self._named(COMPONENT_PREFIX + escape_pointer_token(key))

    def models(self) -> tuple[m.Model, ...]:
        return tuple(self._models[name] for name in sorted(self._models))

    @property
    def by_name(self) -> dict[str, m.Model]:
        """The models built so far, by name (to read: only this parser adds to it)."""
        return self._models

    def type_of(self, schema: Any, at: str, hint: str) -> t.TypeRef:
        """The IR type of `schema` (found at pointer `at`); inline objects are hoisted as `hint`."""
        if schema is None or schema is True or schema == {}:
            return t.ANY
        if not isinstance(schema, dict):
            raise SpecError("a schema must be an object", at=at)
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._ref(ref, at)
        nullable = schema.get("nullable") is True
        inner = self._type_of_non_null(schema, at, hint)
        if nullable and not isinstance(inner, t.Nullable):
            return t.Nullable(inner)
        return inner

    def resolve(self, schema: Any, at: str) -> tuple[dict[str, Any], str]:
        """Follow `$ref`s to the schema object itself, with its pointer."""
        seen = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if ref in seen:
                raise SpecError(f"$ref cycle through {ref!r}", at=at)
            seen.add(ref)
            from ..load import resolve_pointer

            schema, at = resolve_pointer(self._data, ref, at), ref[1:]
        if not isinstance(schema, dict):
            return {}, at
        return schema, at

    # ---- named models --------------------------------------------------------------------------------------

    def _ref(self, ref: str, at: str) -> t.TypeRef:
        if ref in self._by_pointer:
            return self._named(ref)
        target, target_at = self.resolve({"$ref": ref}, at)
        if _is_structured(target):
            self._by_pointer[ref] = self.class_names.claim(class_name(ref.rsplit("/", 1)[-1], self._classes))
            return self._named(ref)
        return self.type_of(target, target_at, pascal(ref.rsplit("/", 1)[-1]))

    def _named(self, ref: str) -> t.TypeRef:
        name = self._by_pointer[ref]
        if name in self._models or name in self._building:
            return t.Ref(name)
        from ..load import resolve_pointer

        at = ref[1:]
        schema = resolve_pointer(self._data, ref, at)
        if isinstance(schema, dict) and "$ref" in schema and len(schema) == 1:
            target = self.type_of(schema, at, name)
            self._models[name] = m.AliasModel(name, _wire(ref), target)
            return t.Ref(name)
        self._building.add(name)
        try:
            self._models[name] = self._model(schema, at, name, _wire(ref))
        finally:
            self._building.discard(name)
        return t.Ref(name)

    def _model(self, schema: Any, at: str, name: str, wire_name: str) -> m.Model:
        if not isinstance(schema, dict):
            raise SpecError("a schema must be an object", at=at)
        description = _text(schema)
        values = schema.get("enum")
        if isinstance(values, list) and values and _scalar_values(values):
            members = _enum_members(values)
            if members:
                return m.EnumModel(name, wire_name, members, description)
        composite = "oneOf" in schema or "anyOf" in schema
        merged = "allOf" in schema and not (len(schema["allOf"]) == 1 and not schema.get("properties"))
        if (_is_object(schema) or merged) and not composite:
            return self._object(schema, at, name, wire_name, description)
        if "oneOf" in schema or "anyOf" in schema:
            kind = "oneOf" if "oneOf" in schema else "anyOf"
            union = self._union(schema, kind, at, name)
            if isinstance(union, t.Union):
                return m.UnionModel(name, wire_name, union.variants, union.discriminator, description)
            return m.AliasModel(name, wire_name, union, description)
        return m.AliasModel(name, wire_name, self._type_of_non_null(schema, at, name + "Item"), description)

    def _hoist(self, schema: dict[str, Any], at: str, hint: str) -> t.Ref:
        key = "#" + at
        if key not in self._by_pointer:
            self._by_pointer[key] = self.class_names.claim(class_name(hint, self._classes))
        name = self._by_pointer[key]
        if name not in self._models and name not in self._building:
            self._building.add(name)
            try:
                self._models[name] = self._model(schema, at, name, "")
            finally:
                self._building.discard(name)
        return t.Ref(name)

    # ---- structure -----------------------------------------------------------------------------------------

    def _type_of_non_null(self, schema: dict[str, Any], at: str, hint: str) -> t.TypeRef:
        declared = schema.get("type")
        if isinstance(declared, list):
            kinds = [k for k in declared if k != "null"]
            for index, kind in enumerate(declared):
                _check_type(kind, f"{at}/type/{index}")
            if len(kinds) < len(declared):
                if not kinds:
                    return t.Primitive("null")
                return t.Nullable(self._type_of_non_null({**schema, "type": kinds}, at, hint))
            if len(kinds) > 1:
                return t.Union(tuple(self._type_of_non_null({**schema, "type": k}, at, hint) for k in kinds))
            declared = kinds[0] if kinds else None
        elif declared is not None:
            _check_type(declared, at + "/type")
        if "const" in schema:
            return t.Literal((schema["const"],)) if schema["const"] is not None else t.Primitive("null")
        values = schema.get("enum")
        if isinstance(values, list) and values and _scalar_values(values):
            non_null = tuple(v for v in values if v is not None)
            if not non_null:
                return t.Primitive("null")
            literal = t.Literal(non_null)
            return t.Nullable(literal) if len(non_null) < len(values) else literal
        if "oneOf" in schema or "anyOf" in schema:
            if _is_object(schema) and schema.get("properties"):
                return self._hoist(schema, at, hint)
            return self._union(schema, "oneOf" if "oneOf" in schema else "anyOf", at, hint)
        if "allOf" in schema:
            parts = schema["allOf"]
            if isinstance(parts, list) and len(parts) == 1 and not schema.get("properties"):
                return self.type_of(parts[0], f"{at}/allOf/0", hint)
            return self._hoist(schema, at, hint)
        if declared == "array" or (declared is None and "items" in schema):
            items = schema.get("items")
            if isinstance(items, list):  # tuple validation (3.0 quirk): treat as a list of unions
                return t.Array(t.ANY)
            return t.Array(self.type_of(items, at + "/items", hint + "Item"))
        if _is_object(schema):
            if schema.get("properties"):
                return self._hoist(schema, at, hint)
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                return t.Map(self.type_of(extra, at + "/additionalProperties", hint + "Value"))
            return t.Map(t.ANY)
        if declared == "string":
            fmt = schema.get("format")
            if fmt == "binary" or schema.get("contentMediaType") == "application/octet-stream":
                return t.Primitive("binary")
            return t.Primitive("string", fmt if isinstance(fmt, str) else None)
        if declared in ("integer", "number", "boolean"):
            fmt = schema.get("format")
            return t.Primitive(declared, fmt if isinstance(fmt, str) else None)
        if declared == "null":
            return t.Primitive("null")
        return t.ANY

    def _union(self, schema: dict[str, Any], kind: str, at: str, hint: str) -> t.TypeRef:
        branches = schema.get(kind)
        if not isinstance(branches, list) or not branches:
            raise SpecError(f"{kind} must be a non-empty list", at=f"{at}/{kind}")
        variants: list[t.TypeRef] = []
        nullable = False
        for index, branch in enumerate(branches):
            variant = self.type_of(branch, f"{at}/{kind}/{index}", f"{hint}Variant{index + 1}")
            if variant == t.Primitive("null"):
                nullable = True
            elif variant not in variants:
                variants.append(variant)
        if not variants:
            return t.Primitive("null")
        discriminator = self._discriminator(schema, branches, variants, at)
        result: t.TypeRef = variants[0] if len(variants) == 1 else t.Union(tuple(variants), discriminator)
        return t.Nullable(result) if nullable else result

    def _discriminator(
        self, schema: dict[str, Any], branches: list[Any], variants: list[t.TypeRef], at: str
    ) -> t.Discriminator | None:
        spec = schema.get("discriminator")
        if not isinstance(spec, dict) or not isinstance(spec.get("propertyName"), str):
            return None
        wire = spec["propertyName"]
        mapping: dict[str, str] = {}
        explicit = spec.get("mapping") or {}
        for value, ref in explicit.items():
            target = self._ref(ref, f"{at}/discriminator/mapping/{escape_pointer_token(value)}")
            if isinstance(target, t.Ref):
                mapping[str(value)] = target.name
        for branch, variant in zip((b for b in branches if b != {"type": "null"}), variants, strict=False):
            if not isinstance(variant, t.Ref) or variant.name in mapping.values():
                continue
            resolved, _ = self.resolve(branch, at)
            for value in _tag_values(resolved, wire, self):
                mapping.setdefault(value, variant.name)
            if not any(v == variant.name for v in mapping.values()) and isinstance(branch, dict):
                ref = branch.get("$ref", "")
                mapping.setdefault(ref.rsplit("/", 1)[-1], variant.name)
        return t.Discriminator(wire, snake(wire), tuple(mapping.items()))

    def _object(
        self, schema: dict[str, Any], at: str, name: str, wire_name: str, description: str
    ) -> m.ObjectModel:
        properties, required, extra_schema = self._collect_properties(schema, at)
        scope = NameScope()
        fields = []
        for prop, (prop_schema, prop_at) in properties.items():
            if not isinstance(prop_schema, dict) and prop_schema is not True:
                raise SpecError("a property schema must be an object", at=prop_at)
            prop_type = self.type_of(prop_schema, prop_at, name + pascal(prop))
            resolved = prop_schema if isinstance(prop_schema, dict) else {}
            has_default = "default" in resolved
            fields.append(
                m.Field(
                    name=m.Name(scope.claim(snake(prop)), prop),
                    type=prop_type,
                    required=prop in required,
                    description=_text(resolved),
                    default=resolved.get("default"),
                    has_default=has_default,
                    read_only=resolved.get("readOnly") is True,
                    write_only=resolved.get("writeOnly") is True,
                    deprecated=resolved.get("deprecated") is True,
                    examples=self._examples(prop_schema, prop_at),
                )
            )
        extra = None
        if isinstance(extra_schema, dict) and extra_schema:
            extra = self.type_of(extra_schema, at + "/additionalProperties", name + "Value")
        return m.ObjectModel(name, wire_name, tuple(fields), description, extra)

    def _examples(self, schema: Any, at: str) -> tuple[m.JsonValue, ...]:
        """A property's examples, else those of the scalar schema it refers to (not a model's)."""
        if not isinstance(schema, dict):
            return ()
        found = examples_of(schema)
        if not found and isinstance(schema.get("$ref"), str):
            target, _ = self.resolve(schema, at)
            if not _is_structured(target):
                found = examples_of(target)
        return found

    def _collect_properties(
        self, schema: dict[str, Any], at: str
    ) -> tuple[dict[str, tuple[Any, str]], set[str], Any]:
        """Properties of an object, merging `allOf` parts in order (later parts refine earlier ones)."""
        properties: dict[str, tuple[Any, str]] = {}
        required: set[str] = set()
        extra: Any = None
        for index, part in enumerate(schema.get("allOf") or []):
            resolved, part_at = self.resolve(part, f"{at}/allOf/{index}")
            sub_props, sub_required, sub_extra = self._collect_properties(resolved, part_at)
            properties.update(sub_props)
            required |= sub_required
            extra = sub_extra if sub_extra is not None else extra
        for prop, prop_schema in (schema.get("properties") or {}).items():
            properties[prop] = (prop_schema, f"{at}/properties/{escape_pointer_token(prop)}")
        required |= {r for r in schema.get("required") or [] if isinstance(r, str)}
        if "additionalProperties" in schema:
            extra = schema["additionalProperties"]
        return properties, required, extra


def class_name(text: str, classes: frozenset[str] = IMPORTED_NAMES) -> str:
    """A model class name that cannot shadow a class generated modules define or import (`classes`).

    Such a schema gets a `Model` suffix: `Stream` -> `StreamModel`, `PetsResource` -> `PetsResourceModel`.
    """
    name = pascal(text)
    return name + "Model" if name in classes else name


def _check_type(kind: Any, at: str) -> None:
    if kind not in _PRIMITIVES:
        raise SpecError(f"unknown type {kind!r}", at=at)


def _is_object(schema: dict[str, Any]) -> bool:
    declared = schema.get("type")
    if declared == "object" or (isinstance(declared, list) and "object" in declared):
        return True
    return declared is None and ("properties" in schema or "additionalProperties" in schema)


def _is_structured(schema: dict[str, Any]) -> bool:
    """Worth a class of its own when referenced: objects with properties, enums, unions, allOf."""
    if schema.get("properties") or "allOf" in schema or "oneOf" in schema or "anyOf" in schema:
        return True
    return isinstance(schema.get("enum"), list) and len(schema["enum"]) > 1


def _scalar_values(values: list[Any]) -> bool:
    return all(v is None or isinstance(v, str | int | float | bool) for v in values)


def _enum_members(values: list[Any]) -> tuple[m.EnumMember, ...]:
    scope = NameScope()
    members = []
    for value in values:
        if value is None:
            continue
        members.append(m.EnumMember(scope.claim(upper_snake(str(value))), value))
    return tuple(members)


def _tag_values(schema: dict[str, Any], wire: str, parser: SchemaParser) -> list[str]:
    """The discriminator values a variant declares for its tag property (const or enum)."""
    prop = (schema.get("properties") or {}).get(wire)
    if prop is None:
        for part in schema.get("allOf") or []:
            resolved, _ = parser.resolve(part, "")
            found = _tag_values(resolved, wire, parser)
            if found:
                return found
        return []
    resolved, _ = parser.resolve(prop, "")
    if "const" in resolved:
        return [str(resolved["const"])]
    values = resolved.get("enum")
    if isinstance(values, list):
        return [str(v) for v in values if v is not None]
    return []


def _wire(ref: str) -> str:
    return ref.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")


def _text(schema: dict[str, Any]) -> str:
    for key in ("description", "title"):
        value = schema.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""
