"""Generation as the commands use it: spec -> IR -> files -> ruff, and the in-sync check."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .ir import model as m
from .pipeline import VendorSpec, build_ir
from .render import render_package
from .render.format import format_files
from .render.resources import renderable
from .write import LOCK_NAME, is_current, lock_text, write_tree


@dataclass(frozen=True)
class Outcome:
    name: str
    target: Path
    written: bool
    operations: int
    generated: int


def all_operations(api: m.Api) -> Iterator[m.Operation]:
    def walk(resources: tuple[m.Resource, ...]) -> Iterator[m.Operation]:
        for resource in resources:
            yield from resource.operations
            yield from walk(resource.resources)

    yield from api.operations
    yield from walk(api.resources)


def render_files(spec: Path, config: Path | None, package: str | None = None) -> tuple[m.Api, dict[str, str]]:
    """The complete, formatted file map of one package (with its lock), and the IR it came from."""
    api = build_ir(spec, config, package)
    files = format_files(render_package(api))
    files[LOCK_NAME] = lock_text(spec, config)
    return api, files


def generate(vendor: VendorSpec, out_root: Path, *, force: bool = False) -> Outcome:
    target = out_root / vendor.name
    if not force and is_current(target, lock_text(vendor.spec, vendor.config)):
        return Outcome(vendor.name, target, False, 0, 0)
    api, files = render_files(vendor.spec, vendor.config)
    write_tree(files, target)
    ops = list(all_operations(api))
    return Outcome(vendor.name, target, True, len(ops), sum(1 for op in ops if renderable(op)))


def generate_spec(spec: Path, out: Path, package: str | None) -> Outcome:
    api, files = render_files(spec, None, package)
    write_tree(files, out)
    ops = list(all_operations(api))
    return Outcome(api.package.import_name, out, True, len(ops), sum(1 for op in ops if renderable(op)))
