"""Shared fixtures of the docs tests: the IR of each vendor, built once."""

from __future__ import annotations

from functools import cache

from generator.ir import model as m
from generator.pipeline import build_ir
from tests.conftest import ROOT


@cache
def vendor_api(vendor: str) -> m.Api:
    folder = ROOT / "specs" / vendor
    return build_ir(folder / "openapi.yaml", folder / "gen.toml")
