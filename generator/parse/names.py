"""Python names from wire names: deterministic, keyword-safe, collision-free within a scope."""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache

from ..runtime_names import runtime_names

# The names of the generator's reserved words live here, one set per namespace they guard:
# - REQUEST_OPTIONS: the keyword arguments every generated method takes after its own;
# - RESERVED_ARGUMENTS: what an operation's argument must not be called (the options, and the names a
#   method body uses): a parameter gets a `_` suffix, a body field the next free name (`parse/calls.py`);
# - RESERVED_ATTRIBUTES: what a model field or method must not be called (pydantic's and the client's).
REQUEST_OPTIONS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout", "retry"})
RESERVED_ARGUMENTS = REQUEST_OPTIONS | {"self", "stream_read_timeout", "cast", "Any"}

RESERVED_ATTRIBUTES = frozenset(
    {
        "model_config",
        "model_fields",
        "model_computed_fields",
        "model_extra",
        "model_fields_set",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "dict",
        "json",
        "copy",
        "parse_obj",
        "schema",
        "construct",
        "validate",
        "to_dict",
        "to_json",
        "with_raw_response",
        "with_options",
        *(REQUEST_OPTIONS - {"retry"}),
    }
)
SOFT_KEYWORDS = frozenset({"self", "cls", "type", "match", "case", "_", "None", "True", "False"})
# Single letters that read like digits (pycodestyle E741-E743); a generated name never is one of them.
AMBIGUOUS = frozenset({"l", "O", "I"})

# Names generated modules import or define at module level: every name the runtime exports (its `__all__`),
# and those they take from typing and pydantic. A model taking one of them would shadow it there, so a
# schema with such a name gets a `Model` suffix (a test keeps the typing and pydantic part complete).
IMPORTED_NAMES = runtime_names().all | {
    "Field",
    "Any",
    "Literal",
    "TypeAlias",
    "Annotated",
    "TYPE_CHECKING",
    "ClassVar",
    "Mapping",
    "SPEC",
}

# Attributes of the runtime's client classes (`SyncAPIClient`, `AsyncAPIClient`) besides the ones already in
# RESERVED_ATTRIBUTES: a method or resource on the client must not shadow them (a test keeps this complete).
CLIENT_ATTRIBUTES = frozenset(
    {
        "request",
        "get_page",
        "stream",
        "close",
        "aclose",
        "copy",
        "with_options",
        "with_raw_response",
        "base_url",
        "api_key",
        "timeout",
        "max_retries",
        "retry",
        "stream_read_timeout",
        "setting",
        "server_url",
        "is_closed",
        "hooks",
        "tracing",
    }
)
# What a generated resource class (and its twins) defines besides its methods and child resources.
RESOURCE_ATTRIBUTES = frozenset({"with_raw_response", "_client", "_resource"})

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^0-9a-zA-Z]+")


@cache
def words(text: str) -> tuple[str, ...]:
    """Split any spelling (camelCase, kebab-case, 'Title Case', dotted.names) into lower-case words.

    Cached: a large document asks for the same few thousand names tens of thousands of times.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    chunks = _NON_WORD.split(text.replace("'", ""))
    return tuple(part.lower() for chunk in chunks if chunk for part in _CAMEL_BOUNDARY.split(chunk) if part)


@cache
def snake(text: str) -> str:
    """A valid, keyword-safe snake_case identifier for any text (never empty)."""
    name = "_".join(words(text)) or "value"
    return safe_identifier(name, digit_prefix="n")


@cache
def pascal(text: str) -> str:
    """A valid PascalCase class name for any text (never empty)."""
    name = "".join(w[:1].upper() + w[1:] for w in words(text)) or "Model"
    return safe_identifier(name, digit_prefix="N")


def safe_identifier(name: str, digit_prefix: str) -> str:
    if name[0].isdigit():
        name = digit_prefix + name
    if keyword.iskeyword(name) or name in SOFT_KEYWORDS or name in RESERVED_ATTRIBUTES or name in AMBIGUOUS:
        name += "_"
    return name


def client_class_name(title: str) -> str:
    """The client class named after a document's title, never one the package imports or exports.

    The package's `__init__` exports the runtime's classes and errors beside the client, so a title
    such as "Stream" or "Not Found Error" gets a `Client` suffix (`StreamClient`).
    """
    name = pascal(title) if title.strip() else "Client"
    return name + "Client" if name in IMPORTED_NAMES or name.endswith("Error") else name


def upper_snake(text: str) -> str:
    """An enum member name: UPPER_SNAKE, never empty, never a keyword."""
    name = "_".join(words(text)).upper() or "EMPTY"
    if name[0].isdigit():
        name = "V_" + name
    return name


def argument_name(python: str) -> str:
    """A parameter's keyword argument: its python name, with `_` appended when that name is reserved."""
    return python + "_" if python in RESERVED_ARGUMENTS else python


class NameScope:
    """Allocates unique names in one namespace: the first claimant keeps a name, later ones get a suffix.

    `reserved` names belong to code the generator writes around the claimants (a resource class's
    `with_raw_response`, the runtime client's `request`): a claimant asking for one gets it with a `_`
    appended. Claims are resolved in the order they are made, so a caller claiming in a fixed order gets
    the same names on every run.
    """

    def __init__(self, taken: Iterable[str] = (), reserved: frozenset[str] = frozenset()) -> None:
        self._taken: set[str] = set(taken)
        self._reserved = reserved

    def claim(self, name: str) -> str:
        if name in self._reserved:
            name += "_"
        candidate = name
        counter = 2
        while candidate in self._taken or candidate in self._reserved:
            candidate = f"{name}{counter}"
            counter += 1
        self._taken.add(candidate)
        return candidate

    def claim_family(self, stem: str, family: Callable[[str], tuple[str, ...]]) -> str:
        """The first of `stem`, `stem2`, ... whose whole family of names is free; claims all of them."""
        candidate = stem
        counter = 2
        while any(name in self._taken or name in self._reserved for name in family(candidate)):
            candidate = f"{stem}{counter}"
            counter += 1
        self._taken.update(family(candidate))
        return candidate

    def __contains__(self, name: str) -> bool:
        return name in self._taken or name in self._reserved


def twins(name: str) -> tuple[str, str, str, str]:
    """The classes generated for one client or resource class: it, its async twin, their raw twins."""
    return (name, "Async" + name, name + "WithRawResponse", "Async" + name + "WithRawResponse")


def resource_classes(stem: str) -> tuple[str, str, str, str]:
    """The four classes of the resource whose class name is `<stem>Resource`."""
    return twins(stem + "Resource")
