"""The steps from a spec on disk to the IR, shared by every command."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import SpecError

if TYPE_CHECKING:
    from .ir.model import Api
    from .load import Document

SPEC_NAMES = ("openapi.yaml", "openapi.yml", "openapi.json")


@dataclass(frozen=True)
class VendorSpec:
    """Where one vendor's files live: `specs/<name>/openapi.yaml` and `specs/<name>/gen.toml`."""

    name: str
    spec: Path
    config: Path


def find_vendors(specs_dir: Path) -> list[VendorSpec]:
    if not specs_dir.is_dir():
        raise SpecError("no specs folder", file=str(specs_dir))
    vendors = []
    for folder in sorted(p for p in specs_dir.iterdir() if p.is_dir()):
        spec = next((folder / n for n in SPEC_NAMES if (folder / n).is_file()), None)
        if spec is not None:
            vendors.append(VendorSpec(folder.name, spec, folder / "gen.toml"))
    return vendors


def vendor(specs_dir: Path, name: str) -> VendorSpec:
    for found in find_vendors(specs_dir):
        if found.name == name:
            return found
    known = ", ".join(v.name for v in find_vendors(specs_dir)) or "none"
    raise SpecError(f"no vendor {name!r} (known: {known})", file=str(specs_dir / name))


def build_ir(
    spec: Path, config: Path | None = None, package: str | None = None, *, document: Document | None = None
) -> Api:
    """Load, validate and parse a spec into the IR, with its package settings from gen.toml or defaults.

    `document`: the spec already read (by `read_spec`), not yet validated.
    """
    from .background import Background  # the loader and parser load on first use
    from .load import load, validate_document

    if document is None:
        document = load(spec, validate_schema=False)
    with Background(lambda: validate_document(document)) as validation:  # on another core, when there is one
        try:
            api = _parse(document, spec, config, package)
        except Exception:
            validation.result()  # a structural problem explains a parser failure best: it is raised first
            raise
        validation.result()
    return api


def operation_count(document: Document) -> int:
    """How many operations the document declares (each HTTP method of each path item), counted on the
    document itself rather than the IR, so that it can be set against the methods generated."""
    from .load import resolve_pointer
    from .parse.operations import METHODS

    paths = document.data.get("paths")
    count = 0
    for path, item in (paths if isinstance(paths, dict) else {}).items():
        if isinstance(item, dict) and "$ref" in item:
            item = resolve_pointer(document.data, item["$ref"], f"/paths/{path}")
        if isinstance(item, dict):
            count += sum(1 for method in METHODS if method in item)
    return count


def read_spec(spec: Path) -> Document | None:
    """The document at `spec`, read but not validated; None when it cannot be read (`build_ir` then
    reads it again, to report why)."""
    from .load import load

    try:
        return load(spec, validate_schema=False)
    except SpecError:
        return None


def _parse(document: Document, spec: Path, config: Path | None, package: str | None) -> Api:
    from .config import default_package, load_config, package_from
    from .parse import parse_api

    title = str((document.data.get("info") or {}).get("title") or spec.stem)
    settings = load_config(config, title) if config is not None else default_package(title)
    if package is not None:
        try:
            settings = package_from(
                {"package": {"name": package.replace("_", "-"), "import_name": package}}, title
            )
        except SpecError as exc:
            raise SpecError(exc.message, file="--package") from None
    return parse_api(document, settings)
