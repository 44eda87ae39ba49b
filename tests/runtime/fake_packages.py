"""The generated packages `fake()` is tested on, imported as a user imports them, each with its own runtime.

The four vendors' committed packages (from `generated/<vendor>/src`) and a package per fixture spec,
written to a temporary folder; every one is imported from there by its own name.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, cast

from generator.generate import write_package
from generator.pipeline import build_ir
from tests.conftest import ROOT

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "specs").glob("*.yaml"))


@dataclass(frozen=True)
class Package:
    name: str
    module: ModuleType

    @property
    def fake(self) -> Callable[..., Any]:
        """The package's own `fake`, as its test kit imports it."""
        return cast(Callable[..., Any], importlib.import_module(f"{self.name}._runtime._fake").fake)

    @property
    def fake_value(self) -> Callable[..., Any]:
        return cast(Callable[..., Any], importlib.import_module(f"{self.name}._runtime._fake").fake_value)

    @property
    def models(self) -> Any:
        """The package's `models` module."""
        return importlib.import_module(f"{self.name}.models")

    def exports(self) -> Iterator[tuple[str, object]]:
        """Every name the package's `models` exports, with what it is (a class or a type alias)."""
        for name in self.models.__all__:
            yield name, getattr(self.models, name)


def _imported(name: str, src: Path) -> Package:
    if str(src) not in sys.path:
        sys.path.insert(0, str(src))
    module = importlib.import_module(name)
    assert Path(module.__file__ or "").is_relative_to(src), (name, module.__file__)
    return Package(name, module)


def vendor_package(vendor: str) -> Package:
    return _imported(f"{vendor}_typed", ROOT / "generated" / vendor / "src")


def fixture_package(spec: Path, out: Path) -> Package:
    name = f"fake_{spec.stem}_pkg"
    target = out / spec.stem
    if not (target / "src" / name).exists():
        write_package(build_ir(spec, package=name), "{}\n", None, target)
    return _imported(name, target / "src")
