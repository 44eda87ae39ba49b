"""The four vendor documents: valid OpenAPI 3.1, covering the vendor's documented surface."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from tests.conftest import ROOT, VENDORS

# Operations each vendor documents (their fact sheets' tables, counted when the specs were written).
EXPECTED_OPERATIONS = {"modulex": 134, "modus": 93, "mobius": 151, "autx": 38}
METHODS = ("get", "put", "post", "patch", "delete", "head", "options")


def load(vendor: str) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "specs" / vendor / "openapi.yaml").read_text())
    assert isinstance(data, dict)
    return data


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, item[method])
        for path, item in spec["paths"].items()
        for method in METHODS
        if method in item
    ]


@pytest.mark.parametrize("vendor", VENDORS)
def test_spec_is_valid_openapi_3_1(vendor: str) -> None:
    spec = load(vendor)
    assert spec["openapi"].startswith("3.1")
    validate(spec)


@pytest.mark.parametrize("vendor", VENDORS)
def test_spec_covers_the_documented_surface(vendor: str) -> None:
    ops = operations(load(vendor))
    assert len(ops) == EXPECTED_OPERATIONS[vendor]
    ids = [op["operationId"] for _, _, op in ops]
    assert len(ids) == len(set(ids))
    for _, _, op in ops:
        assert re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+", op["operationId"]), op["operationId"]
        assert op.get("summary") and op.get("description"), op["operationId"]


@pytest.mark.parametrize("vendor", VENDORS)
def test_no_empty_schemas_for_objects_with_fields(vendor: str) -> None:
    schemas = load(vendor)["components"]["schemas"]
    for name, schema in schemas.items():
        assert schema != {}, name
        if schema.get("type") == "object" and "additionalProperties" not in schema:
            assert schema.get("properties") or schema.get("allOf"), name


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_operation_declares_its_errors(vendor: str) -> None:
    for path, method, op in operations(load(vendor)):
        statuses = set(op["responses"])
        if "101" in statuses:
            continue
        assert any(s.startswith(("4", "5")) or s == "default" for s in statuses), (method, path)


@pytest.mark.parametrize("vendor", VENDORS)
def test_gen_toml_names_do_not_take_the_vendors_own_pypi_names(vendor: str) -> None:
    import tomllib

    config = tomllib.loads((ROOT / "specs" / vendor / "gen.toml").read_text())
    assert config["package"]["name"] not in {
        "modulex-python",
        "modus-sdk",
        "mobius-client",
        "autx-client",
        "modulex",
        "modus",
        "mobius",
    }
