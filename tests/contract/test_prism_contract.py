"""Every HTTP operation of every vendor, called once through its installed client against Prism.

Prism validates each request against the vendor's spec (an invalid one is answered 422/400) and answers
with the spec's examples, which the client must parse. WebSocket operations (`x-websocket`, answering 101)
are not HTTP calls and are left out of the count, as the printed line says.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, VENDORS

from .conftest import SUMMARY
from .plan import build_plan

RUNNER = Path(__file__).with_name("runner.py")
API_KEY = "contract-test-key"


def client_kwargs(plan: dict[str, Any], url: str) -> dict[str, Any]:
    """Constructor arguments: every host pointed at Prism, every client setting given a value."""
    kwargs: dict[str, Any] = {"api_key": API_KEY, "base_url": url, "max_retries": 0, **plan["settings"]}
    kwargs.update({f"{server}_base_url": url for server in plan["servers"]})
    return kwargs


def only_multipart_text_gap(call: dict[str, Any], outcome: dict[str, Any]) -> bool:
    """Whether Prism refused the request only because it reads every multipart part as one plain string.

    OpenAPI sends an array part as the part repeated and an object part as JSON, and so does the client;
    Prism 5 keeps the last repeated part (stoplightio/prism#2654, unmerged) and never parses a JSON part, so
    it reports "must be array" / "must be object" for them. Any other violation still fails the operation.
    """
    found = outcome.get("violations") or []
    wanted = [["request", "body", part] for part in call["structured_parts"]]
    return bool(found and wanted) and all(
        v.get("code") == "type" and v.get("location") in wanted for v in found
    )


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_operation_is_accepted_by_prism(
    vendor: str, prism: dict[str, str], user_python: Path, tmp_path: Path
) -> None:
    plan = build_plan(ROOT / "specs" / vendor / "openapi.yaml", ROOT / "specs" / vendor / "gen.toml")
    plan["client_kwargs"] = client_kwargs(plan, prism[vendor])
    (tmp_path / "plan.json").write_text(json.dumps(plan, indent=1), encoding="utf-8")
    result = subprocess.run(
        [str(user_python), str(RUNNER), "plan.json", "result.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    outcomes = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    calls = {call["id"]: call for call in plan["calls"]}
    assert set(outcomes) == set(calls)
    gaps = sorted(op for op, outcome in outcomes.items() if only_multipart_text_gap(calls[op], outcome))
    failed = {
        op: outcome["error"] + (f"\n    Prism: {outcome['violations']}" if outcome.get("violations") else "")
        for op, outcome in outcomes.items()
        if "error" in outcome and op not in gaps
    }
    notes = []
    if plan["websocket"]:
        notes.append(f"WebSocket, not counted: {', '.join(plan['websocket'])}")
    if gaps:
        notes.append(f"valid but for Prism's reading of multipart arrays and objects: {', '.join(gaps)}")
    note = f" ({'; '.join(notes)})" if notes else ""
    line = f"{vendor}: {len(calls) - len(failed)}/{len(calls)} operations pass{note}"
    print(line)
    SUMMARY.append(line)
    report = "\n".join(f"- {op} [{calls[op]['http']}]: {why}" for op, why in sorted(failed.items()))
    assert not failed, f"{line}\n{report}"


def test_a_request_the_spec_forbids_fails(prism: dict[str, str], user_python: Path, tmp_path: Path) -> None:
    """The harness can fail: a run id that is not a UUID is refused by Prism and reported with its reason."""
    plan = build_plan(ROOT / "specs" / "modus" / "openapi.yaml", ROOT / "specs" / "modus" / "gen.toml")
    (call,) = [c for c in plan["calls"] if c["id"] == "runs.stream"]
    call["kwargs"]["run_id"] = "not-a-uuid"
    plan.update(calls=[call], client_kwargs=client_kwargs(plan, prism["modus"]))
    (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    subprocess.run([str(user_python), str(RUNNER), "plan.json", "result.json"], cwd=tmp_path, check=True)
    outcome = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))["runs.stream"]
    assert outcome["error"].startswith("UnprocessableEntityError 422"), outcome
    assert [v["location"] for v in outcome["violations"]] == [["path", "runid"]]
