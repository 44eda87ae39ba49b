"""Real public documents load and parse without crashing (fetched from npm at test time)."""

from __future__ import annotations

import json

from generator.pipeline import build_ir
from tests.parse.test_detection import operations
from tests.support.npm import npm_file


def test_swagger_petstore_3_0() -> None:
    path = npm_file("@readme/oas-examples", "8.2.2", "3.0/json/petstore.json")
    api = build_ir(path)
    names = {(op.resource, op.name.python) for op in operations(api)}
    assert (("pet",), "add_pet") in names
    document = json.loads(path.read_text())
    assert len(names) == sum(len(item) for item in document["paths"].values())
    assert {a.kind for a in api.auth} == {"oauth2", "api_key"}


def test_github_rest_description() -> None:
    api = build_ir(npm_file("@octokit/openapi", "23.0.2", "generated/api.github.com.json"))
    ops = list(operations(api))
    assert len(ops) > 1000
    assert len({op.id for op in ops}) == len(ops)
    repos_get = next(op for op in ops if op.id == "repos/get")
    assert repos_get.resource == ("repos",) and repos_get.name.python == "get"
    assert [p.name.python for p in repos_get.params] == ["owner", "repo"]
