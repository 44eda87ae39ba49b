"""Server-sent event streams (`x-stream`) and WebSocket endpoints (`x-websocket`)."""

from __future__ import annotations

import json
from typing import Any

from ..errors import SpecError
from ..ir import model as m
from ..ir import types as t
from .schemas import SchemaParser


def _names(raw: Any, at: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise SpecError("expected a list of event names", at=at)
    return tuple(raw)


# query parameters that name a position in an ordered event log (as the `sequence` page style does)
_SEQUENCE_PARAMS = ("since_sequence", "after_sequence")


def _example_texts(media: dict[str, Any]) -> list[str]:
    texts = [media["example"]] if isinstance(media.get("example"), str) else []
    examples = media.get("examples")
    if isinstance(examples, dict):
        texts += [
            x["value"] for x in examples.values() if isinstance(x, dict) and isinstance(x.get("value"), str)
        ]
    return [line for text in texts for line in text.splitlines()]


def _shows_ids(lines: list[str]) -> bool:
    """Whether the example events carry an SSE `id:` (the position `Last-Event-ID` resends)."""
    return any(line.startswith("id:") and line[3:].strip() for line in lines)


def _shows_field(lines: list[str], field: str) -> bool:
    """Whether an example event's JSON data has `field`."""
    for line in lines:
        if line.startswith("data:"):
            try:
                data = json.loads(line[5:])
            except ValueError:
                continue
            if isinstance(data, dict) and field in data:
                return True
    return False


def detect_resume(media: dict[str, Any], params: tuple[m.Param, ...]) -> m.Resume | None:
    """How a stream resumes when `x-stream` does not say: a `Last-Event-ID` header parameter; else a
    `since_sequence`/`after_sequence` query parameter when the example events carry `sequence`; else
    `Last-Event-ID` (the SSE standard's) when the example events carry an `id:`; else it cannot."""
    header = next(
        (p.name.wire for p in params if p.location == "header" and p.name.wire.lower() == "last-event-id"),
        None,
    )
    if header:
        return m.Resume(header=header)
    lines = _example_texts(media)
    query = next(
        (p.name.wire for p in params if p.location == "query" and p.name.wire in _SEQUENCE_PARAMS), None
    )
    if query and _shows_field(lines, "sequence"):
        return m.Resume(query=query, field="sequence")
    if _shows_ids(lines):
        return m.Resume(header="Last-Event-ID")
    return None


def parse_stream(media: dict[str, Any], event: t.TypeRef, params: tuple[m.Param, ...]) -> m.Stream:
    at = media["_at"]
    raw = media.get("x-stream")
    if raw is None:
        return m.Stream(event_type="data", event=event, resume=detect_resume(media, params))
    at += "/x-stream"
    if not isinstance(raw, dict):
        raise SpecError("x-stream must be an object", at=at)
    event_type = raw.get("event_type", "data")
    if not isinstance(event_type, str) or not (
        event_type in ("event", "data") or event_type.startswith("data.")
    ):
        raise SpecError("x-stream.event_type is `event`, `data` or `data.<field>`", at=at + "/event_type")
    resume = None
    raw_resume = raw.get("resume")
    if isinstance(raw_resume, dict):
        resume = m.Resume(
            header=raw_resume.get("header"),
            query=raw_resume.get("query"),
            field=raw_resume.get("field"),
        )
        if resume.query and not resume.field:
            raise SpecError("x-stream.resume.query needs the event `field` it repeats", at=at + "/resume")
        if resume.query and resume.query not in {p.name.wire for p in params if p.location == "query"}:
            raise SpecError(
                f"x-stream.resume.query {resume.query!r} is not a query parameter of the operation",
                at=at + "/resume/query",
            )
    elif raw_resume is None:
        resume = detect_resume(media, params)
    elif raw_resume is not False:  # `resume: false`: the stream cannot resume, whatever the document shows
        raise SpecError("x-stream.resume must be an object (or false)", at=at + "/resume")
    return m.Stream(
        event_type=event_type,
        event=event,
        terminal=_names(raw.get("terminal"), at + "/terminal"),
        heartbeat=_names(raw.get("heartbeat"), at + "/heartbeat"),
        resume=resume,
    )


def parse_websocket(raw: Any, at: str, schemas: SchemaParser, hint: str) -> m.WebSocket:
    if not isinstance(raw, dict):
        raise SpecError("x-websocket must be an object", at=at)
    auth = raw.get("auth", "header")
    frame_type = frame_field = None
    if isinstance(auth, dict) and isinstance(auth.get("first_frame"), dict):
        first = auth["first_frame"]
        frame_type, frame_field = first.get("type"), first.get("field")
        if not isinstance(frame_type, str) or not isinstance(frame_field, str):
            raise SpecError("x-websocket.auth.first_frame needs `type` and `field`", at=at + "/auth")
        auth = "first_frame"
    elif auth not in ("header", "none"):
        raise SpecError(
            "x-websocket.auth is `header`, `none` or {first_frame: {type, field}}", at=at + "/auth"
        )
    for key in ("client_frames", "server_frames"):
        if not isinstance(raw.get(key), dict):
            raise SpecError(f"x-websocket needs `{key}` (a schema)", at=at)
    heartbeat = raw.get("heartbeat") or {}
    if not isinstance(heartbeat, dict):
        raise SpecError("x-websocket.heartbeat must be an object", at=at + "/heartbeat")
    discriminator = raw.get("discriminator", "type")
    if not isinstance(discriminator, str):
        raise SpecError("x-websocket.discriminator must be a property name", at=at + "/discriminator")
    return m.WebSocket(
        auth=str(auth),
        auth_frame_type=frame_type,
        auth_frame_field=frame_field,
        discriminator=discriminator,
        client_frames=schemas.type_of(raw["client_frames"], at + "/client_frames", hint + "ClientFrame"),
        server_frames=schemas.type_of(raw["server_frames"], at + "/server_frames", hint + "ServerFrame"),
        client_heartbeat=_names(heartbeat.get("client"), at + "/heartbeat/client"),
        server_heartbeat=_names(heartbeat.get("server"), at + "/heartbeat/server"),
        terminal=_names(raw.get("terminal"), at + "/terminal"),
        reconnect=str(raw.get("reconnect", "none")),
    )
