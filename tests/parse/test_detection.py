"""What the parser must see in a document, asserted one construct at a time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.errors import SpecError
from generator.ir import model as m
from generator.ir import types as t
from generator.pipeline import build_ir
from tests.conftest import ROOT

SPECS = ROOT / "tests" / "fixtures" / "specs"


def operations(api: m.Api) -> Iterator[m.Operation]:
    def walk(resources: tuple[m.Resource, ...]) -> Iterator[m.Operation]:
        for resource in resources:
            yield from resource.operations
            yield from walk(resource.resources)

    yield from api.operations
    yield from walk(api.resources)


def op(api: m.Api, operation_id: str) -> m.Operation:
    return next(o for o in operations(api) if o.id == operation_id)


def model(api: m.Api, name: str) -> m.Model:
    return next(x for x in api.models if x.name == name)


@pytest.fixture(scope="module")
def paging() -> m.Api:
    return build_ir(SPECS / "pagination.yaml")


@pytest.mark.parametrize(
    ("operation_id", "style", "items", "request_param", "next_field"),
    [
        ("pages.list", "page", "workflows", "page", None),
        ("offsets.list", "offset", "runs", "offset", None),
        ("cursors.list", "cursor", "items", "cursor", "next_cursor"),
        ("tokens.list", "page_token", "things", "pageToken", "nextPageToken"),
        ("rows.query", "body_cursor", "items", "cursor", "next_cursor"),
        ("events.list", "sequence", "items", "since_sequence", "next_sequence"),
        ("bare.list", "offset", None, "offset", None),  # None: the body is the list
    ],
)
def test_pagination_styles_are_detected(
    paging: m.Api,
    operation_id: str,
    style: str,
    items: str | None,
    request_param: str,
    next_field: str | None,
) -> None:
    found = op(paging, operation_id).pagination
    assert found is not None
    assert (found.style, found.items, found.request_param, found.next_field) == (
        style,
        items,
        request_param,
        next_field,
    )
    assert found.item_type == t.Ref("Thing")


def test_a_plain_list_is_not_paginated(paging: m.Api) -> None:
    assert op(paging, "unpaged.list").pagination is None


def test_server_prefix_comes_from_the_first_server(paging: m.Api) -> None:
    assert (paging.base_url, paging.prefix) == ("https://paging.example/v2", "/v2")


def test_discriminated_unions_map_tags_to_models() -> None:
    api = build_ir(SPECS / "unions.yaml")
    shape = model(api, "Shape")
    assert isinstance(shape, m.UnionModel) and shape.discriminator is not None
    assert shape.discriminator.mapping == (("circle", "Circle"), ("square", "Square"))
    answer = model(api, "Answer")
    assert isinstance(answer, m.UnionModel) and answer.discriminator is not None
    assert dict(answer.discriminator.mapping) == {"free_text": "AnswerVariant1", "yes_no": "AnswerVariant2"}


def test_anyof_with_null_is_a_nullable_union() -> None:
    body = model(build_ir(SPECS / "unions.yaml"), "AnswersCreateBody")
    assert isinstance(body, m.ObjectModel)
    note = next(f for f in body.fields if f.name.wire == "note")
    assert note.type == t.Nullable(t.Union((t.Primitive("string"), t.Primitive("integer"))))
    assert not note.required


def test_recursive_schemas_refer_to_themselves() -> None:
    node = model(build_ir(SPECS / "recursive.yaml"), "Node")
    assert isinstance(node, m.ObjectModel)
    types = {f.name.python: f.type for f in node.fields}
    assert types["children"] == t.Array(t.Ref("Node"))
    assert types["parent"] == t.Nullable(t.Ref("Node"))
    assert types["meta"] == t.Ref("NodeMeta")


def test_nullable_and_optional_are_different_things() -> None:
    patch = model(build_ir(SPECS / "nullable.yaml"), "ItemPatch")
    assert isinstance(patch, m.ObjectModel)
    fields = {f.name.wire: f for f in patch.fields}
    assert fields["requiredNullable"].required and isinstance(fields["requiredNullable"].type, t.Nullable)
    assert fields["requiredPlain"].required and fields["requiredPlain"].type == t.Primitive("string")
    assert not fields["optionalNullable"].required and isinstance(fields["optionalNullable"].type, t.Nullable)
    assert fields["optionalNullable"].has_default and fields["optionalNullable"].default is None
    assert fields["optionalPlain"].type == t.Primitive("boolean") and fields["optionalPlain"].default is False
    assert fields["tags"].type == t.Map(t.Primitive("string"))
    assert fields["anything"].type == t.ANY
    assert fields["requiredNullable"].name.python == "required_nullable"


def test_named_enums_keep_wire_values_and_get_safe_member_names() -> None:
    status = model(build_ir(SPECS / "nullable.yaml"), "Status")
    assert isinstance(status, m.EnumModel)
    assert [(e.name, e.value) for e in status.members] == [
        ("ACTIVE", "active"),
        ("PAUSED", "paused"),
        ("NEEDS_REVIEW", "needs-review"),
        ("V_3D", "3d"),
    ]


def test_streams_carry_terminal_heartbeat_and_resume() -> None:
    api = build_ir(SPECS / "streaming.yaml")
    listen = op(api, "runs.listen").stream
    assert listen is not None
    assert (listen.event_type, listen.terminal, listen.heartbeat) == (
        "data.type",
        ("done", "error"),
        ("heartbeat",),
    )
    assert listen.resume == m.Resume(header="Last-Event-ID")
    by_sequence = op(api, "runs.events").stream
    assert by_sequence is not None and by_sequence.resume == m.Resume(
        query="since_sequence", field="sequence"
    )
    named = op(api, "chats.stream").stream
    assert named is not None and named.event_type == "event" and named.heartbeat == ("keepalive",)


def test_uploads_and_binary_downloads() -> None:
    api = build_ir(SPECS / "uploads.yaml")
    upload = op(api, "knowledge_bases.documents.upload")
    assert upload.resource == ("knowledge_bases", "documents") and upload.name.python == "upload"
    assert upload.body is not None and upload.body.kind == "multipart"
    parts = {p.name.wire: p for p in upload.body.parts}
    assert parts["file"].is_file and parts["file"].required and not parts["file"].many
    assert parts["attachments"].is_file and parts["attachments"].many
    assert not parts["metadata"].is_file
    download = op(api, "receipts.download")
    assert [(r.kind, r.content_type) for r in download.responses] == [("binary", "application/pdf")]
    blob = op(api, "blobs.put")
    assert blob.body is not None and blob.body.kind == "binary"


def test_client_settings_servers_auth_and_idempotency() -> None:
    api = build_ir(SPECS / "settings.yaml")
    assert [(s.name, s.location, s.wire, s.env) for s in api.settings] == [
        ("organization_id", "header", "X-Organization-ID", "SETTINGS_ORGANIZATION_ID"),
        ("project", "path", "project", "SETTINGS_PROJECT"),
    ]
    things = op(api, "things.list")
    assert [(p.name.python, p.setting) for p in things.params] == [
        ("project", "project"),
        ("organization_id", "organization_id"),
    ]
    runs = op(api, "runs.create")
    assert runs.server == "agent" and runs.idempotency_header == "Idempotency-Key"
    assert api.alt_servers == (
        m.Server("https://agent.settings.example", "", "agent", "SETTINGS_AGENT_HOST"),
    )
    assert op(api, "ping").security == ()
    assert [a.kind for a in api.auth] == ["bearer", "api_key"] and api.security == ("bearer",)


def test_awkward_names_become_safe_python_names() -> None:
    api = build_ir(SPECS / "names.yaml")
    imported = op(api, "class.import")
    assert imported.resource == ("class_",) and imported.name.python == "import_"
    assert [p.name.python for p in imported.params] == ["from_", "lambda_", "x_request_id"]
    body = model(api, "ClassImportBody")
    assert isinstance(body, m.ObjectModel)
    assert [f.name.python for f in body.fields] == [
        "from_",
        "user_name",
        "user_name2",
        "model_config_",
        "n3d",
        "value",
    ]
    assert {x.name for x in api.models} >= {"Def", "Def2"}
    assert op(api, "delete /no-id/{petId}").name.python == "delete_no_id_pet_id"


def test_error_shapes_per_status() -> None:
    errors = op(build_ir(SPECS / "errors.yaml"), "things.get").errors
    assert [(e.status, e.type) for e in errors] == [
        ("404", t.Ref("Nested")),
        ("402", t.Union((t.Ref("Detail"), t.Ref("Denial")))),
        ("4XX", t.Ref("Nested")),
        ("default", t.Ref("Detail")),
    ]


def test_websocket_and_webhook_descriptions() -> None:
    api = build_ir(SPECS / "realtime.yaml")
    socket = op(api, "chat.connect").websocket
    assert socket is not None
    assert (socket.auth, socket.auth_frame_type, socket.auth_frame_field) == ("first_frame", "auth", "token")
    assert socket.server_heartbeat == ("heartbeat",) and socket.terminal == ("close",)
    assert [w.name for w in api.webhooks] == ["run.completed"]
    assert api.webhook_signature is not None and api.webhook_signature.tolerance_seconds == 300


def test_model_names_never_shadow_what_generated_modules_import() -> None:
    """Every class-like name a generated module imports (from its runtime, typing or pydantic) is one a
    schema's class cannot take."""
    import ast

    from generator.parse.names import IMPORTED_NAMES

    imported: set[str] = set()
    for path in (ROOT / "generated").glob("*/src/*/**/*.py"):
        if "_runtime" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
                "_runtime",
                "typing",
                "pydantic",
            ):
                imported |= {alias.asname or alias.name for alias in node.names}
    assert {"BaseModel", "UnknownVariant", "Field", "Literal"} <= imported
    assert {name for name in imported if name[0].isupper()} <= IMPORTED_NAMES


def _stream_doc(parameters: str, example: str, x_stream: str = "") -> str:
    return f"""
openapi: 3.1.0
info: {{title: Resumes, version: "1"}}
paths:
  /events:
    get:
      operationId: events.stream
      parameters: {parameters}
      responses:
        "200":
          description: events
          content:
            text/event-stream:
              schema: {{type: object, properties: {{sequence: {{type: integer}}, type: {{type: string}}}}}}
              example: "{example}"
              {x_stream}
"""


@pytest.mark.parametrize(
    ("parameters", "example", "x_stream", "expected"),
    [
        # the SSE standard: events that carry an id resume with Last-Event-ID
        ("[]", 'id: 7\\ndata: {\\"type\\": \\"a\\"}\\n\\n', "", m.Resume(header="Last-Event-ID")),
        (
            "[]",
            'id: 7\\ndata: {\\"type\\": \\"a\\"}\\n\\n',
            "x-stream: {event_type: data.type}",
            m.Resume(header="Last-Event-ID"),
        ),
        # a sequence query parameter, and events that carry their sequence
        (
            "[{name: after_sequence, in: query, schema: {type: integer}}]",
            'data: {\\"sequence\\": 3}\\n\\n',
            "",
            m.Resume(query="after_sequence", field="sequence"),
        ),
        # a sequence parameter alone does not say which field of the event holds it
        (
            "[{name: since_sequence, in: query, schema: {type: integer}}]",
            'data: {\\"type\\": \\"a\\"}\\n\\n',
            "",
            None,
        ),
        # nothing to resume from: no id, no position parameter
        ("[]", 'data: {\\"type\\": \\"a\\"}\\n\\n', "", None),
        # the document opts out
        (
            "[]",
            'id: 7\\ndata: {\\"type\\": \\"a\\"}\\n\\n',
            "x-stream: {event_type: data.type, resume: false}",
            None,
        ),
    ],
)
def test_stream_resume_is_detected_from_the_document(
    tmp_path: Path, parameters: str, example: str, x_stream: str, expected: m.Resume | None
) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(_stream_doc(parameters, example, x_stream), encoding="utf-8")
    stream = op(build_ir(spec), "events.stream").stream
    assert stream is not None and stream.resume == expected


def test_gen_toml_stream_read_timeout() -> None:
    from generator.config import package_from
    from generator.errors import SpecError

    assert package_from({}, "T").stream_read_timeout == 300.0
    assert package_from({"client": {"stream_read_timeout": 45}}, "T").stream_read_timeout == 45.0
    assert package_from({"client": {"stream_read_timeout": 0}}, "T").stream_read_timeout is None
    with pytest.raises(SpecError, match="stream_read_timeout"):
        package_from({"client": {"stream_read_timeout": "long"}}, "T")


@pytest.fixture(scope="module")
def paging_ends() -> m.Api:
    return build_ir(SPECS / "pagination_ends.yaml")


@pytest.mark.parametrize(
    ("operation_id", "style", "has_more", "total", "max_empty"),
    [
        ("totals.list", "offset", None, "total_count", None),
        ("counted.list", "offset", None, None, None),  # `total` is not an integer: not a count
        ("tuned.list", "offset", None, "hits", 3),
        ("tokens.list", "page_token", None, None, 25),
    ],
)
def test_pagination_end_fields_come_from_the_response_schema(
    paging_ends: m.Api,
    operation_id: str,
    style: str,
    has_more: str | None,
    total: str | None,
    max_empty: int | None,
) -> None:
    found = op(paging_ends, operation_id).pagination
    assert found is not None
    assert (found.style, found.has_more_field, found.total_field, found.max_empty_pages) == (
        style,
        has_more,
        total,
        max_empty,
    )


def test_offset_has_more_is_resolved_by_the_parser(paging: m.Api) -> None:
    found = op(paging, "offsets.list").pagination
    assert found is not None and found.has_more_field == "has_more" and found.total_field is None


@pytest.mark.parametrize(
    ("tuning", "message"),
    [
        ({"max_empty_pages": 0}, "max_empty_pages must be an integer of at least 1"),
        ({"max_empty_pages": "many"}, "max_empty_pages must be an integer of at least 1"),
        ({"total_field": "nope"}, "total_field 'nope' is not a field of the response"),
        ({"start": -1}, "start must be an integer of at least 0"),
    ],
)
def test_bad_pagination_tuning_is_reported(tmp_path: Path, tuning: dict[str, object], message: str) -> None:
    text = (SPECS / "pagination_ends.yaml").read_text(encoding="utf-8")
    spec = tmp_path / "bad.yaml"
    spec.write_text(text.replace("{max_empty_pages: 3, total_field: hits}", json.dumps(tuning)), "utf-8")
    with pytest.raises(SpecError, match=message) as info:
        build_ir(spec)
    assert "/paths/~1tuned/get/x-pagination" in str(info.value)


_OVERRIDDEN = """
openapi: 3.1.0
info: {title: Overrides, version: "1"}
paths:
  /entries:
    get:
      operationId: entries.list
      x-pagination: OVERRIDE
      parameters:
        - {name: after_sequence, in: query, schema: {type: integer}}
        - {name: from, in: query, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  entries: {type: array, items: {$ref: "#/components/schemas/Entry"}}
                  next_cursor: {type: [string, "null"]}
                  following: {type: [string, "null"]}
                  hasMore: {type: boolean}
components:
  schemas:
    Entry:
      type: object
      properties:
        sequence: {type: integer}
"""


@pytest.mark.parametrize(
    ("override", "names"),
    [
        (  # what the override leaves out is found as detection finds it
            {"style": "sequence", "items": "entries"},
            ("after_sequence", "limit", None, "hasMore", "sequence", 1),
        ),
        (  # `cursor_param`, the key's older spelling, still names the request parameter
            {"style": "cursor", "items": "entries", "cursor_param": "from"},
            ("from", "limit", "next_cursor", "hasMore", None, 1),
        ),
        (
            {"style": "cursor", "items": "entries", "request_param": "from", "next_field": "following"},
            ("from", "limit", "following", "hasMore", None, 1),
        ),
        ({"style": "page", "items": "entries", "start": 0}, ("page", "limit", None, "hasMore", None, 0)),
    ],
)
def test_x_pagination_leaves_no_name_to_the_runtime(
    tmp_path: Path, override: dict[str, object], names: tuple[object, ...]
) -> None:
    spec = tmp_path / "overrides.yaml"
    spec.write_text(_OVERRIDDEN.replace("OVERRIDE", json.dumps(override)), "utf-8")
    found = op(build_ir(spec), "entries.list").pagination
    assert found is not None
    assert (
        found.request_param,
        found.size_param,
        found.next_field,
        found.has_more_field,
        found.sequence_field,
        found.start,
    ) == names
