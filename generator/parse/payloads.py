"""Request bodies and responses: media types sorted into kinds, schemas typed, errors per status."""

from __future__ import annotations

from typing import Any

from ..errors import SpecError, escape_pointer_token
from ..ir import model as m
from ..ir import types as t
from .names import NameScope, snake
from .schemas import SchemaParser

SSE = "text/event-stream"


def is_json(media_type: str) -> bool:
    base = media_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*json"


def _body_kind(media_type: str) -> m.BodyKind:
    base = media_type.split(";", 1)[0].strip().lower()
    if is_json(base):
        return "json"
    if base == "multipart/form-data" or base.startswith("multipart/"):
        return "multipart"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base.startswith("text/"):
        return "text"
    return "binary"


_BODY_PREFERENCE = {"json": 0, "multipart": 1, "form": 2, "binary": 3, "text": 4}


def _ref_target(resolve: Any, raw: Any, at: str) -> tuple[Any, str]:
    seen: set[str] = set()
    while isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
        ref = raw["$ref"]
        if ref in seen:
            raise SpecError(f"$ref cycle through {ref!r}", at=at)
        seen.add(ref)
        raw, at = resolve(ref, at), ref[1:]
    return raw, at


def parse_body(resolve: Any, raw: Any, at: str, schemas: SchemaParser, hint: str) -> m.Body | None:
    if raw is None:
        return None
    body, body_at = _ref_target(resolve, raw, at)
    if not isinstance(body, dict):
        raise SpecError("a requestBody must be an object", at=at)
    content = body.get("content")
    if not isinstance(content, dict) or not content:
        raise SpecError("a requestBody needs `content`", at=body_at)
    media_type = min(content, key=lambda mt: (_BODY_PREFERENCE[_body_kind(mt)], list(content).index(mt)))
    kind = _body_kind(media_type)
    media = content[media_type] or {}
    media_at = f"{body_at}/content/{escape_pointer_token(media_type)}"
    schema = media.get("schema")
    body_type = schemas.type_of(schema, media_at + "/schema", hint + "Body")
    parts: tuple[m.BodyPart, ...] = ()
    if kind in ("multipart", "form"):
        parts = _parts(schema, media_at + "/schema", schemas, hint)
    if kind in ("binary", "text") and schema is None:
        body_type = t.Primitive("binary") if kind == "binary" else t.Primitive("string")
    return m.Body(
        kind=kind,
        content_type=media_type,
        type=body_type,
        required=body.get("required") is True,
        parts=parts,
        description=(body.get("description") or "").strip(),
    )


def _parts(schema: Any, at: str, schemas: SchemaParser, hint: str) -> tuple[m.BodyPart, ...]:
    resolved, resolved_at = schemas.resolve(schema, at)
    properties = resolved.get("properties") or {}
    required = set(resolved.get("required") or [])
    scope = NameScope()
    parts = []
    for name, prop in properties.items():
        prop_at = f"{resolved_at}/properties/{escape_pointer_token(name)}"
        prop_type = schemas.type_of(prop, prop_at, hint + "Part")
        many = isinstance(prop_type, t.Array)
        element = prop_type.items if isinstance(prop_type, t.Array) else prop_type
        prop_resolved, _ = schemas.resolve(prop, prop_at)
        parts.append(
            m.BodyPart(
                name=m.Name(scope.claim(snake(name)), name),
                type=prop_type,
                required=name in required,
                is_file=element == t.Primitive("binary"),
                many=many,
                description=(prop_resolved.get("description") or "").strip(),
            )
        )
    return tuple(parts)


def _response_kind(media_type: str | None) -> m.ResponseKind:
    if media_type is None:
        return "empty"
    base = media_type.split(";", 1)[0].strip().lower()
    if base == SSE:
        return "sse"
    if is_json(base):
        return "json"
    if base.startswith("text/"):
        return "text"
    return "binary"


_RESPONSE_PREFERENCE = {"json": 0, "sse": 1, "binary": 2, "text": 3, "empty": 4}


def parse_responses(
    resolve: Any, raw: Any, at: str, schemas: SchemaParser, hint: str
) -> tuple[tuple[m.Response, ...], tuple[m.ErrorShape, ...], dict[str, dict[str, Any]]]:
    """(responses, error shapes, the raw media objects of SSE responses by status)."""
    if not isinstance(raw, dict) or not raw:
        raise SpecError("an operation needs `responses`", at=at)
    responses: list[m.Response] = []
    errors: list[m.ErrorShape] = []
    sse_media: dict[str, dict[str, Any]] = {}
    for status in raw:
        status_at = f"{at}/{escape_pointer_token(status)}"
        response, response_at = _ref_target(resolve, raw[status], status_at)
        if not isinstance(response, dict):
            raise SpecError("a response must be an object", at=status_at)
        content = response.get("content") or {}
        media_type = (
            min(
                content,
                key=lambda mt: (_RESPONSE_PREFERENCE[_response_kind(mt)], list(content).index(mt)),
            )
            if content
            else None
        )
        kind = _response_kind(media_type)
        description = (response.get("description") or "").strip()
        status_key = str(status).upper() if str(status).lower() != "default" else "default"
        response_type: t.TypeRef | None = None
        if media_type is not None:
            media = content[media_type] or {}
            media_at = f"{response_at}/content/{escape_pointer_token(media_type)}"
            schema_hint = hint + ("Event" if kind == "sse" else "Response")
            if _is_error(status_key):
                schema_hint = hint + "Error" + ("" if status_key == "default" else status_key)
            if kind in ("json", "sse"):
                response_type = schemas.type_of(media.get("schema"), media_at + "/schema", schema_hint)
            elif kind == "text":
                response_type = t.Primitive("string")
            else:
                response_type = t.Primitive("binary")
            if kind == "sse":
                sse_media[status_key] = {**media, "_at": media_at}
        if _is_error(status_key):
            errors.append(m.ErrorShape(status_key, response_type if kind == "json" else None, description))
            continue
        responses.append(
            m.Response(
                status=status_key,
                kind=kind,
                content_type=media_type,
                type=response_type,
                description=description,
                headers=_headers(resolve, response.get("headers"), response_at + "/headers", schemas, hint),
            )
        )
    return tuple(responses), tuple(errors), sse_media


def _is_error(status: str) -> bool:
    return status == "default" or status[:1] in ("4", "5")


def _headers(resolve: Any, raw: Any, at: str, schemas: SchemaParser, hint: str) -> tuple[m.Header, ...]:
    if not isinstance(raw, dict):
        return ()
    headers = []
    for name in raw:
        header_at = f"{at}/{escape_pointer_token(name)}"
        header, resolved_at = _ref_target(resolve, raw[name], header_at)
        if not isinstance(header, dict):
            continue
        header_type = schemas.type_of(header.get("schema"), resolved_at + "/schema", hint + "Header")
        headers.append(m.Header(name, header_type, (header.get("description") or "").strip()))
    return tuple(headers)
