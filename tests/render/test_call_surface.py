"""The call surface (`Operation.call`) is what the generated methods and their docs show: one set of
argument names, built by the parser, read by every output."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from generator.ir import model as m
from generator.pipeline import build_ir
from generator.render import render_package
from tests.conftest import ROOT, VENDORS

SPECS = [ROOT / "specs" / v / "openapi.yaml" for v in VENDORS]
SPECS += sorted((ROOT / "tests" / "fixtures" / "specs").glob("*.yaml"))
OPTIONS = {"extra_headers", "extra_query", "extra_body", "timeout", "retry", "stream_read_timeout"}

COLLIDING = """
openapi: 3.1.0
info: {title: Collide, version: "1"}
servers: [{url: https://api.collide.example}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
security: [{key: []}]
paths:
  /jobs/{timeout}:
    post:
      operationId: jobs.create
      parameters:
        - {name: timeout, in: path, required: true, schema: {type: string}}
        - {name: retry, in: query, schema: {type: integer, default: 3}}
        - {name: session, in: cookie, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [timeout]
              properties:
                timeout: {type: integer}
                name: {type: string}
                id: {type: string, readOnly: true}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
  /health:
    get:
      operationId: health
      security: []
      responses:
        "200":
          description: ok
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
"""


def _methods(files: dict[str, str]) -> dict[str, list[str]]:
    """`Class.method` -> its keyword-only arguments, for every method of the package's sync classes."""
    found: dict[str, list[str]] = {}
    for path, text in files.items():
        if not path.endswith(".py") or "/_runtime/" in path or "/models/" in path:
            continue
        for cls in ast.parse(text).body:
            if isinstance(cls, ast.ClassDef) and not cls.name.startswith("Async"):
                for fn in cls.body:
                    if isinstance(fn, ast.FunctionDef) and not fn.name.startswith("_"):
                        found[f"{cls.name}.{fn.name}"] = [a.arg for a in fn.args.kwonlyargs]
    return found


def _operations(api: m.Api) -> list[m.Operation]:
    return [op for op in m.all_operations(api) if op.websocket is None]


@pytest.fixture(scope="module")
def colliding(tmp_path_factory: pytest.TempPathFactory) -> m.Api:
    spec = tmp_path_factory.mktemp("collide") / "openapi.yaml"
    spec.write_text(COLLIDING, encoding="utf-8")
    return build_ir(spec)


def _op(api: m.Api, operation_id: str) -> m.Operation:
    return next(op for op in m.all_operations(api) if op.id == operation_id)


def test_arguments_are_named_once_away_from_the_methods_own_keywords(colliding: m.Api) -> None:
    call = _op(colliding, "jobs.create").call
    named = [(a.name.python, a.name.wire, a.location, a.required) for a in call.arguments]
    assert named == [
        ("timeout_", "timeout", "path", True),
        ("retry_", "retry", "query", False),  # a parameter named like an option gets a `_`
        ("timeout_2", "timeout", "body_field", True),  # a body field the next free name
        ("name", "name", "body_field", False),
    ]  # the cookie and the read-only field are not arguments
    assert [a.name.python for a in call.signature()] == ["timeout_", "timeout_2", "retry_", "name"]
    assert next(a for a in call.arguments if a.name.wire == "retry").default == 3


def test_the_call_knows_its_result_and_whether_it_sends_the_key(colliding: m.Api) -> None:
    create, health = _op(colliding, "jobs.create").call, _op(colliding, "health").call
    assert (create.result, create.auth) == ("model", True)
    assert create.success is not None and create.success.status == "201"
    assert (health.result, health.auth, health.returns) == ("binary", False, None)
    assert colliding.client_auth == m.ClientAuth("header", "X-Key")


def test_the_method_and_its_docs_show_the_call_surface(colliding: m.Api) -> None:
    files = render_package(colliding)
    methods = _methods(files)
    assert methods["JobsResource.create"][:4] == ["timeout_", "timeout_2", "retry_", "name"]
    reference = files["docs/api.md"]
    assert "| `timeout_` | `timeout` | path |" in reference
    assert "| `timeout_2` | `timeout` | body |" in reference
    assert "auth=False" in files["src/collide/_client.py"]


@pytest.mark.parametrize(
    "spec", SPECS, ids=[p.parent.name if p.name == "openapi.yaml" else p.stem for p in SPECS]
)
def test_every_generated_method_takes_exactly_its_call_surface(spec: Path) -> None:
    api = build_ir(spec, spec.parent / "gen.toml" if (spec.parent / "gen.toml").exists() else None)
    methods = _methods(render_package(api))
    by_name: dict[str, list[list[str]]] = {}
    for name, args in methods.items():
        by_name.setdefault(name.split(".")[-1].rstrip("_"), []).append([a for a in args if a not in OPTIONS])
    for op in _operations(api):
        expected = [a.name.python for a in op.call.signature()]
        assert expected in by_name[op.name.python.rstrip("_")], op.id
