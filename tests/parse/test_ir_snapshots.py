"""The IR of every vendor spec and of each one-construct fixture spec, snapshotted as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

from generator.ir import to_jsonable
from generator.pipeline import build_ir
from tests.conftest import ROOT, VENDORS

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "specs").glob("*.yaml"))


@pytest.fixture
def json_snapshot(snapshot):  # type: ignore[no-untyped-def]
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("vendor", VENDORS)
def test_vendor_ir(vendor: str, json_snapshot) -> None:  # type: ignore[no-untyped-def]
    folder = ROOT / "specs" / vendor
    api = build_ir(folder / "openapi.yaml", folder / "gen.toml")
    assert to_jsonable(api) == json_snapshot


@pytest.mark.parametrize("spec", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture_ir(spec: Path, json_snapshot) -> None:  # type: ignore[no-untyped-def]
    api = build_ir(spec)
    assert to_jsonable(api) == json_snapshot


def test_ir_json_round_trips_as_plain_json() -> None:
    api = build_ir(ROOT / "tests" / "fixtures" / "specs" / "unions.yaml")
    data = to_jsonable(api)
    assert json.loads(json.dumps(data)) == data
