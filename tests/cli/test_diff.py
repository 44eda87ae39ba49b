"""`gen diff`: changes between two versions of a spec, classified on the IR, in the client's terms.

Each folder under tests/fixtures/diff/ holds a `before.yaml` and an `after.yaml` that differ in one kind
of way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diff import Change, compare, diff, surface, surface_json
from generator.pipeline import build_ir
from tests.conftest import ROOT, run_gen

FIXTURES = ROOT / "tests" / "fixtures" / "diff"

EXPECTED = {
    "breaking": [
        "breaking  client.workflows.create: the argument `description` is now required",
        "breaking  client.workflows.create: the result is now `Run` (was `Workflow`)",
        "breaking  client.workflows.delete: removed (was `DELETE /workflows/{workflow_id}`)",
        "breaking  client.workflows.list: the argument `limit` is now `Literal[10, 50, 100]` (was `int`)",
        "breaking  client.workflows.run: now calls `POST /workflows/{workflow_id}/runs`"
        " (was `POST /workflows/{workflow_id}/run`)",
        "breaking  client.workflows.run: the argument `dry_run` is now required",
        "breaking  Run.attempts: now `str` (was `int`)",
        "breaking  Workflow.tags: field removed",
        'breaking  WorkflowStatus: the value "archived" was removed',
    ],
    "additive": [
        "additive  client.workflows.create: new optional argument `labels: list[str]`",
        "additive  client.workflows.get: new method (`GET /workflows/{workflow_id}`)",
        "additive  client.workflows.list: new optional argument `cursor: str`",
        "additive  client.workflows.list: the argument `limit` is now `float` (was `int`)",
        "additive  Schedule: new model",
        "additive  Workflow.created_at: new optional field of type `datetime`",
        "additive  Workflow.schedule: new optional field of type `Schedule`",
        'additive  WorkflowStatus: new value "draft"',
    ],
    "docs": [
        "docs      client.workflows.list: description changed",
        "docs      client.workflows.run: description changed",
        "docs      Workflow.name: description changed",
    ],
    # Sent data may widen, received data may narrow; a new required argument breaks callers.
    "directions": [
        "breaking  client.workflows.create: new required argument `owner: str`",
        "breaking  Run.attempts: now `int | None` (was `int`)",
        "breaking  Run.id: now optional (may be None)",
        "additive  client.workflows.create: the argument `name` is now `str | None` (was `str`)",
        "additive  client.workflows.create: the argument `name` is now optional",
        "additive  Workflow.status: now required",
    ],
}
EXIT = {"breaking": 1, "additive": 0, "docs": 0, "directions": 1}


def _pair(case: str) -> tuple[Path, Path]:
    return FIXTURES / case / "before.yaml", FIXTURES / case / "after.yaml"


def _lines(changes: list[Change]) -> list[str]:
    return [f"{change.kind:<9} {change}" for change in changes]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_changes_are_classified_on_the_ir(case: str) -> None:
    before, after = _pair(case)
    assert _lines(diff(build_ir(before), build_ir(after))) == EXPECTED[case]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_the_reverse_of_an_addition_is_a_removal(case: str) -> None:
    """Swapping old and new turns every removal into an addition and back: nothing goes unnoticed."""
    before, after = _pair(case)
    forward, backward = diff(build_ir(before), build_ir(after)), diff(build_ir(after), build_ir(before))
    assert bool(forward) == bool(backward)
    if case == "additive":
        assert {c.kind for c in backward} == {"breaking"}


def test_a_spec_against_itself_has_no_changes() -> None:
    api = build_ir(ROOT / "specs" / "modulex" / "openapi.yaml", ROOT / "specs" / "modulex" / "gen.toml")
    assert diff(api, api) == []


def test_surface_names_methods_as_users_call_them() -> None:
    data = surface(build_ir(FIXTURES / "breaking" / "before.yaml"))
    assert sorted(data["operations"]) == [
        "client.workflows.create",
        "client.workflows.delete",
        "client.workflows.list",
        "client.workflows.run",
    ]
    # the JSON body of `create` is flattened into keyword arguments, so its model is not listed on its own
    assert "WorkflowCreate" not in data["models"]
    assert data["operations"]["client.workflows.create"]["args"]["name"]["required"] is True


def test_stored_surface_round_trips_and_has_one_entry_per_line() -> None:
    import json

    api = build_ir(FIXTURES / "additive" / "after.yaml")
    text = surface_json(api)
    assert json.loads(text) == surface(api)
    assert compare(json.loads(text), surface(api)) == []
    lines = text.splitlines()
    start = lines.index(' "operations":{') + 1
    methods = lines[start : start + len(surface(api)["operations"])]
    assert [line.split(":", 1)[0] for line in methods] == [
        f'  "client.workflows.{name}"' for name in ("create", "delete", "get", "list", "run")
    ]
    assert lines[start + len(methods)] == " },"


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_cli_lists_one_change_per_line_and_exits_by_severity(case: str) -> None:
    before, after = (p.relative_to(ROOT).as_posix() for p in _pair(case))
    result = run_gen("diff", "--spec", after, "--old", before)
    assert result.returncode == EXIT[case], result.stderr
    assert result.stdout.splitlines() == EXPECTED[case]


def test_cli_no_changes() -> None:
    spec = "tests/fixtures/diff/docs/before.yaml"
    result = run_gen("diff", "--spec", spec, "--old", spec)
    assert (result.returncode, result.stdout) == (0, "no changes\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("diff",), "error: give either VENDOR or --spec PATH"),
        (
            ("diff", "--spec", "tests/fixtures/diff/docs/after.yaml", "--old", "nope.yaml"),
            "error: nope.yaml: no such file",
        ),
        (
            (
                "diff",
                "--spec",
                "tests/fixtures/diff/docs/after.yaml",
                "--old",
                "tests/fixtures/broken/empty.yaml",
            ),
            "error: tests/fixtures/broken/empty.yaml#: the document is empty",
        ),
        (
            ("diff", "modulex", "--against", "HEAD", "--old", "x.yaml"),
            "error: give at most one of --against GIT_REF and --old PATH",
        ),
        (
            ("diff", "modulex", "--against", "no-such-ref-anywhere"),
            "error: --against no-such-ref-anywhere: invalid object name 'no-such-ref-anywhere'.",
        ),
        (
            ("diff", "--spec", "tests/fixtures/diff/docs/after.yaml", "--out", "nowhere"),
            "error: nowhere/after: no previous generation here to compare with; "
            "give --against GIT_REF or --old PATH",
        ),
    ],
    ids=["nothing", "missing-old", "broken-old", "both-olds", "bad-ref", "never-generated"],
)
def test_cli_bad_input_is_one_line_and_exit_2(args: tuple[str, ...], message: str) -> None:
    result = run_gen(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.splitlines() == [message]
    assert "Traceback" not in result.stderr
