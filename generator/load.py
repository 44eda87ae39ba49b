"""Read an OpenAPI document (YAML or JSON), check its `$ref`s, and validate it with openapi-pydantic.

The parser works on the plain data (so every error can name a JSON pointer); openapi-pydantic is the
structural gate in front of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import SpecError, escape_pointer_token, pointer

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SpecLoader(_BaseLoader):  # type: ignore[misc]
    """Safe YAML loading without YAML 1.1's implicit timestamps: dates stay strings, as in JSON."""

    yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


@dataclass(frozen=True)
class Document:
    """A loaded OpenAPI document: its data, where it came from, and its `openapi` version."""

    path: str
    data: dict[str, Any]
    version: str

    def resolve(self, ref: str, at: str = "") -> Any:
        """The value a local `$ref` points to."""
        return resolve_pointer(self.data, ref, at)


def resolve_pointer(data: Any, ref: str, at: str = "") -> Any:
    if not ref.startswith("#"):
        raise SpecError(f"external $ref {ref!r} is not supported; bundle the document first", at=at)
    node = data
    for raw in ref[1:].split("/")[1:] if ref not in ("#", "#/") else []:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise SpecError(f"$ref {ref!r} points to nothing", at=at)
    return node


def read_data(path: Path) -> Any:
    """Parse the file as JSON or YAML; errors name the file and the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError("no such file", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read the file: {exc}", file=str(path)) from None
    if not text.strip():
        raise SpecError("the document is empty", file=str(path), at="")
    if path.suffix == ".json" or text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            if path.suffix == ".json":
                raise SpecError(
                    f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", file=str(path)
                ) from None
            # not JSON after all: YAML in flow style (`{openapi: 3.1.0, ...}`)
    try:
        return _load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SpecError(f"invalid YAML{where}: {problem}", file=str(path)) from None


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


def _load_yaml(text: str) -> Any:
    """The document as `yaml.load` with `_SpecLoader` builds it, keys as strings, built several times faster.

    libyaml composes the node tree; plain maps, lists and strings (nearly all of a spec) become Python
    values here directly, and everything else (numbers, booleans, merge keys, other tags) goes through
    PyYAML's own constructor, so the values are the same.
    """
    loader = _SpecLoader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    if root is None:
        return None
    built: dict[int, Any] = {}  # node id -> value: an alias is the same node object as its anchor

    def build(node: yaml.Node) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if id(node) in built:
            return built[id(node)]
        if tag == _MAP and not any(key.tag == _MERGE for key, _ in node.value):
            mapping: dict[str, Any] = {}
            built[id(node)] = mapping
            for key, value in node.value:
                mapping[key.value if key.tag == _STR else str(build(key))] = build(value)
            return mapping
        if tag == _SEQ:
            sequence: list[Any] = []
            built[id(node)] = sequence
            sequence.extend(build(item) for item in node.value)
            return sequence
        value = _stringify_keys(loader.construct_object(node, deep=True))
        built[id(node)] = value
        return value

    return build(root)


def _stringify_keys(value: Any) -> Any:
    """YAML reads `200:` as an int key; OpenAPI keys are strings."""
    if isinstance(value, dict):
        return {str(k): _stringify_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify_keys(v) for v in value]
    return value


def iter_refs(node: Any, at: str = "") -> Iterator[tuple[str, str]]:
    """Every `$ref` string in the document with the pointer of the object holding it."""
    stack: list[tuple[Any, str]] = [(node, at)]
    while stack:
        current, here = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield ref, here
            for key, child in current.items():
                if isinstance(child, dict | list):
                    stack.append((child, here + "/" + escape_pointer_token(key)))
        elif isinstance(current, list):
            for index, child in enumerate(current):
                if isinstance(child, dict | list):
                    stack.append((child, f"{here}/{index}"))


def _ref_strings(node: Any) -> set[str]:
    """Every distinct `$ref` string in the document (no locations: the quick pass over a large document)."""
    refs: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                refs.add(ref)
            stack.extend(child for child in current.values() if isinstance(child, dict | list))
        elif isinstance(current, list):
            stack.extend(child for child in current if isinstance(child, dict | list))
    return refs


def check_refs(data: dict[str, Any]) -> None:
    """Fail on the first `$ref` (in document order of discovery) that points to nothing.

    Each distinct target is resolved once; only a broken one costs the walk that locates it.
    """
    try:
        for ref in _ref_strings(data):
            resolve_pointer(data, ref)
        return
    except SpecError:
        pass
    problems = []
    for ref, at in iter_refs(data):
        try:
            resolve_pointer(data, ref, at)
        except SpecError as exc:
            problems.append(exc)
    if problems:
        raise min(problems, key=lambda e: e.at or "")


def check_version(data: Any) -> str:
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "null"
        raise SpecError(f"the document root must be an object, not {kind}", at="")
    if "swagger" in data:
        raise SpecError(
            f"Swagger {data['swagger']} is not supported: convert it to OpenAPI 3 first "
            "(for example with the npm package swagger2openapi)",
            at=pointer("swagger"),
        )
    version = data.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise SpecError(f"expected an OpenAPI 3.x document, got openapi: {version!r}", at=pointer("openapi"))
    return version


def validate(data: dict[str, Any]) -> None:
    """Structural validation with openapi-pydantic; the first problem becomes a located SpecError."""
    from openapi_pydantic import parse_obj
    from pydantic import ValidationError

    try:
        parse_obj(data)
    except ValidationError as exc:
        errors = exc.errors()
        located = [(_document_path(data, e["loc"]), e["msg"]) for e in errors]
        path, message = max(located, key=lambda pair: len(pair[0]))
        raise SpecError(f"invalid OpenAPI: {message}", at=pointer(*path)) from None


def _document_path(data: Any, loc: tuple[Any, ...]) -> list[str | int]:
    """The part of a pydantic error location that exists in the document (drops union branch labels)."""
    node = data
    path: list[str | int] = []
    for part in loc:
        in_object = isinstance(node, dict) and part in node
        in_array = isinstance(node, list) and isinstance(part, int) and part < len(node)
        if in_object or in_array:
            node = node[part]
            path.append(part)
    return path


def validate_document(document: Document) -> None:
    """The checks `load` skips when asked not to validate: `$ref` targets, then the structure."""
    try:
        check_refs(document.data)
        validate(document.data)
    except SpecError as exc:
        raise exc.located(document.path) from None


def load(path: str | Path, *, validate_schema: bool = True) -> Document:
    """Load, check and validate a spec. Raises SpecError (with the file filled in) on bad input.

    `validate_schema=False` reads the document and checks its version only; `validate_document` does the
    rest (so that it can run beside the parser).
    """
    path = Path(path)
    try:
        data = read_data(path)
        version = check_version(data)
    except SpecError as exc:
        raise exc.located(str(path)) from None
    document = Document(path=str(path), data=data, version=version)
    if validate_schema:
        validate_document(document)
    return document
