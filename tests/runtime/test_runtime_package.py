"""The runtime as a copied package: self-contained imports, public names, models, sentinels."""

from __future__ import annotations

import ast
import copy
import importlib
import pickle
import shutil
import sys
from pathlib import Path

import pytest
from pydantic import Field

import generator.runtime as runtime
from generator.runtime import NOT_GIVEN, BaseModel, NotGiven, Omit
from generator.runtime_names import runtime_names

RUNTIME_DIR = Path(runtime.__file__).parent
ALLOWED_THIRD_PARTY = {"httpx", "pydantic", "pydantic_core", "anyio"}


def test_only_relative_imports_and_allowed_dependencies() -> None:
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    for path in sorted(RUNTIME_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level > 0:
                    continue
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            bad = roots - stdlib - ALLOWED_THIRD_PARTY
            assert not bad, f"{path.name} imports {bad}"


def test_copied_verbatim_into_a_package_it_works(tmp_path: Path) -> None:
    package = tmp_path / "fakepkg_typed"
    shutil.copytree(RUNTIME_DIR, package / "_runtime", ignore=shutil.ignore_patterns("__pycache__"))
    (package / "__init__.py").write_text("from ._runtime import SyncAPIClient, NOT_GIVEN\n")
    sys.path.insert(0, str(tmp_path))
    try:
        module = importlib.import_module("fakepkg_typed")
        copied = importlib.import_module("fakepkg_typed._runtime")
        assert module.SyncAPIClient is copied.SyncAPIClient
        assert copied.SyncAPIClient is not runtime.SyncAPIClient
        assert set(copied.__all__) == set(runtime.__all__)
        assert not any(
            name.startswith("generator") and name != "generator.runtime" for name in copied.__dict__
        )
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("fakepkg_typed")]:
            del sys.modules[name]


def test_public_names_are_exported() -> None:
    for name in runtime.__all__:
        assert hasattr(runtime, name), name


def test_all_is_the_one_list_of_what_the_runtime_imports() -> None:
    """`__all__` names exactly what `__init__.py` imports (at once or, through `_LAZY`, on first use), each
    name in one of its four parts, and `_LAZY` loads each name from the module the type checker sees."""
    tree = ast.parse((RUNTIME_DIR / "__init__.py").read_text(encoding="utf-8"))
    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            imported |= {alias.name: f".{node.module}" for alias in node.names}
    names = runtime_names()
    parts = (names.internal, names.public, names.sessions, names.webhooks)
    assert sum(len(part) for part in parts) == len(names.all) == len(runtime.__all__)
    assert names.all == set(runtime.__all__) == set(imported) - {"import_module"}
    for name, module in runtime._LAZY.items():
        assert imported[name] == module, name


def test_exception_hierarchy() -> None:
    assert issubclass(runtime.APITimeoutError, runtime.APIConnectionError)
    assert issubclass(runtime.APIConnectionError, runtime.APIError)
    assert issubclass(runtime.APIStatusError, runtime.APIError)
    assert issubclass(runtime.RateLimitError, runtime.APIStatusError)
    assert issubclass(runtime.APIError, Exception)


def test_not_given_sentinel() -> None:
    assert not NOT_GIVEN
    assert NotGiven() is NOT_GIVEN
    assert repr(NOT_GIVEN) == "NOT_GIVEN"
    assert copy.deepcopy(NOT_GIVEN) is NOT_GIVEN
    assert pickle.loads(pickle.dumps(NOT_GIVEN)) is NOT_GIVEN
    assert not Omit()


class Workflow(BaseModel):
    workflow_id: str | None = Field(default=None, alias="workflowId")
    status: str | None = None


def test_models_keep_unknown_fields_and_dump_by_alias() -> None:
    wf = Workflow.model_validate({"workflowId": "w1", "newField": {"x": 1}})
    assert wf.workflow_id == "w1"
    assert wf.newField == {"x": 1}  # type: ignore[attr-defined]
    assert wf.to_dict() == {"workflowId": "w1", "newField": {"x": 1}}
    # populate_by_name: the python name works at run time (type checkers only know the alias)
    assert Workflow(**{"workflow_id": "w2"}).to_dict() == {"workflowId": "w2"}
    assert Workflow(workflowId="w3").workflow_id == "w3"
    assert '"workflowId": "w1"' in wf.to_json()
    assert Workflow(workflowId="w", status=None).to_dict(exclude_none=True) == {"workflowId": "w"}


def test_model_field_names_may_start_with_model() -> None:
    class Skill(BaseModel):
        model_settings: dict[str, str] | None = Field(default=None, alias="modelSettings")

    assert Skill.model_validate({"modelSettings": {"a": "b"}}).model_settings == {"a": "b"}


@pytest.mark.parametrize("path", sorted(p.name for p in RUNTIME_DIR.glob("*.py")))
def test_modules_stay_small(path: str) -> None:
    assert len((RUNTIME_DIR / path).read_text().splitlines()) <= 400
