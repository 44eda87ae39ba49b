"""Names the generator derives never collide: documents built to collide in every way generate, import,
and call each operation into its own model class (never a resource or client class)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_gen

# Segments that collide as methods (`list`, `list_`), as client attributes (`stream`, `request`,
# `retry`, `hooks`, `tracing`), as resource classes (`a.b_c` / `a.b.c`) and as operation constants
# (`a.b_x` / `a.b.x`).
SEGMENTS = [
    "a",
    "b",
    "b_c",
    "c",
    "x",
    "b_x",
    "list",
    "list_",
    "stream",
    "request",
    "retry",
    "hooks",
    "tracing",
    "with_raw_response",
]
# Schema names that equal a generated class: resources and twins, the client (title "Zoo"), runtime imports.
SCHEMAS = [
    "AResource",
    "AsyncAResource",
    "ABResourceWithRawResponse",
    "AsyncABCResourceWithRawResponse",
    "ABCResource",
    "AResourceModel",
    "StreamResource",
    "Zoo",
    "AsyncZoo",
    "ZooWithRawResponse",
    "RetryPolicy",
    "Stream",
    "SyncPage",
    "Operation",
    "Hooks",
    "ResponseEvent",
]
HOSTS = [None, "https://api.eu.example.com", "https://api.us.example.com", "https://api.example.org"]

CALL_EVERY_OPERATION = """
import asyncio, importlib, json, sys
import httpx
package, calls = sys.argv[1], json.loads(sys.argv[2])
pkg = importlib.import_module(package)
def answer(request):
    return httpx.Response(200, json={"name": "n", "where": 38.8978168})
def target(client, attributes, method):
    for attribute in attributes:
        client = getattr(client, attribute)
    return getattr(client, method)
sync = pkg.Zoo(http_client=httpx.Client(transport=httpx.MockTransport(answer)))
aclient = pkg.AsyncZoo(http_client=httpx.AsyncClient(transport=httpx.MockTransport(answer)))
for attributes, method, doc in calls:
    results = [target(sync, attributes, method)(), asyncio.run(target(aclient, attributes, method)())]
    for result in results:
        cls = type(result)
        assert cls.__module__.startswith(package + ".models."), (method, cls)
        assert cls.__doc__ == doc, (method, cls.__doc__, doc)
        assert result.where == 38.8978168
"""


def document(operations: list[tuple[str, str, str | None]], schemas: list[str]) -> dict[str, Any]:
    """Operations (operationId, response schema, own server) answering with schemas named to collide."""
    paths: dict[str, Any] = {}
    for index, (operation_id, schema, host) in enumerate(operations):
        operation: dict[str, Any] = {
            "operationId": operation_id,
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
                }
            },
        }
        if host is not None:
            operation["servers"] = [{"url": host}]
        paths[f"/op{index}"] = {"get": operation}
    properties = {"name": {"type": "string"}, "where": {"type": "number", "enum": [38.8978168, -77.0365]}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Zoo", "version": "1"},
        "servers": [{"url": "https://example.invalid"}],
        "paths": paths,
        "components": {
            "schemas": {
                name: {"type": "object", "description": f"schema {name}", "properties": properties}
                for name in schemas
            }
        },
    }


def _generate(tmp: Path, doc: dict[str, Any], env: dict[str, str] | None = None) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    spec = tmp / "openapi.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp / "out"
    result = run_gen("generate", "--spec", str(spec), "--out", str(out), "--package", "zoo", env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    return out


def _calls(tmp: Path) -> list[tuple[list[str], str, str]]:
    """(attribute path, method, expected model docstring) of each operation, as the IR names them."""
    from generator.ir import model as m
    from generator.pipeline import build_ir

    api = build_ir(tmp / "openapi.json", package="zoo")
    calls = []

    def walk(resources: tuple[m.Resource, ...], attributes: list[str]) -> None:
        for resource in resources:
            for op in resource.operations:
                calls.append(([*attributes, resource.name.python], op.name.python, op))
            walk(resource.resources, [*attributes, resource.name.python])

    for op in api.operations:
        calls.append(([], op.name.python, op))
    walk(api.resources, [])
    schema_of = {o["get"]["operationId"]: o["get"]["responses"]["200"] for o in _paths(tmp).values()}
    return [
        (
            attrs,
            name,
            "schema " + schema_of[op.id]["content"]["application/json"]["schema"]["$ref"].split("/")[-1],
        )
        for attrs, name, op in calls
    ]


def _paths(tmp: Path) -> dict[str, Any]:
    paths: dict[str, Any] = json.loads((tmp / "openapi.json").read_text(encoding="utf-8"))["paths"]
    return paths


def _call_every_operation(tmp: Path, out: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", CALL_EVERY_OPERATION, "zoo", json.dumps(_calls(tmp))],
        env={**os.environ, "PYTHONPATH": str(out / "src")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]


operation_ids = st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=3).map(".".join)


@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    schemas=st.lists(st.sampled_from(SCHEMAS), min_size=1, max_size=6, unique=True),
    data=st.data(),
)
def test_colliding_names_generate_import_and_parse_into_their_models(
    tmp_path_factory: Any, schemas: list[str], data: st.DataObject
) -> None:
    ids = data.draw(st.lists(operation_ids, min_size=1, max_size=6, unique=True))
    operations = [(i, data.draw(st.sampled_from(schemas)), data.draw(st.sampled_from(HOSTS))) for i in ids]
    tmp = tmp_path_factory.mktemp("names")
    out = _generate(tmp, document(operations, schemas))
    _call_every_operation(tmp, out)


FIXED = [
    ("a.b_c.x", "ABCResource", None),
    ("a.b.c.x", "AsyncABCResourceWithRawResponse", None),
    ("a.b_x", "AResource", "https://api.eu.example.com"),
    ("a.b.x", "AsyncAResource", "https://api.us.example.com"),
    ("a.list", "AResourceModel", None),
    ("a.list_", "ABResourceWithRawResponse", None),
    ("a.with_raw_response", "Zoo", None),
    ("stream", "Stream", None),
    ("retry.request", "RetryPolicy", None),
    ("request", "AsyncZoo", None),
]


def test_every_kind_of_collision_at_once_type_checks(tmp_path: Path) -> None:
    out = _generate(tmp_path, document(FIXED, sorted({schema for _, schema, _ in FIXED})))
    _call_every_operation(tmp_path, out)
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", os.devnull, "-p", "zoo"],
        cwd=out / "src",
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout[-3000:]


def test_names_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    doc = document(FIXED, sorted({schema for _, schema, _ in FIXED}))
    trees = []
    for seed in ("1", "2024"):
        out = _generate(tmp_path / seed, doc, env={"PYTHONHASHSEED": seed})
        ir = run_gen("ir", "--spec", str(tmp_path / seed / "openapi.json"), env={"PYTHONHASHSEED": seed})
        assert ir.returncode == 0, ir.stderr
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        trees.append((ir.stdout, files))
    assert trees[0] == trees[1]


def test_reserved_client_attributes_cover_the_runtime_clients() -> None:
    from generator.parse.names import CLIENT_ATTRIBUTES, RESERVED_ATTRIBUTES
    from generator.runtime import AsyncAPIClient, SyncAPIClient

    for client in (SyncAPIClient, AsyncAPIClient):
        public = {name for name in dir(client) if not name.startswith("_") and not name.isupper()}
        assert public <= CLIENT_ATTRIBUTES | RESERVED_ATTRIBUTES, public - CLIENT_ATTRIBUTES
