"""Generation as the commands use it: spec -> IR -> files -> ruff, and the in-sync check.

Besides the package itself, every generated folder holds its provenance (`gen.lock`), the surface of the
client it contains (`gen.surface.json`, compared with the next generation's to version it), and its
`CHANGELOG.md`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import SpecError
from .pipeline import VendorSpec, build_ir, operation_count
from .write import LOCK_NAME, is_current, lock_text, replace_tree, staged_file, write_files

if TYPE_CHECKING:
    from . import release
    from .diff import Change, Surface
    from .ir import model as m
    from .load import Document
    from .render import PackageRenderer

# The renderer, the differ and ruff load when something is rendered: an up-to-date vendor costs a hash.

SURFACE_NAME = "gen.surface.json"
CHANGELOG_NAME = "CHANGELOG.md"


@dataclass(frozen=True)
class Outcome:
    """One package's generation. `operations` is counted on the document and `methods` on the rendered
    code, each on its own, so that an operation the generator left out shows as `methods < operations`."""

    name: str
    target: Path
    written: bool
    operations: int
    methods: int
    version: str = ""
    previous_version: str | None = None
    changes: tuple[Change, ...] = ()


def method_count(api: m.Api) -> int:
    """The methods the client has, as its changelog counts them: one per operation of the IR."""
    from .ir.model import all_operations

    return sum(1 for _ in all_operations(api))


def package_files(
    api: m.Api, lock: str, changelog: str | None = None, document: dict[str, Any] | None = None
) -> dict[str, str]:
    """The complete file map of one package, formatted: code, docs, surface, changelog and lock
    (`document`: the spec's data, for `docs/openapi.codesamples.json`)."""
    from .render import PackageRenderer
    from .render.format import format_files

    package = PackageRenderer(api)
    code = format_files({**package.models(), **package.code()})
    return {**code, **_documentation_files(package, lock, changelog, document), **_surface_file(api)}


def _documentation_files(
    package: PackageRenderer, lock: str, changelog: str | None, document: dict[str, Any] | None
) -> dict[str, str]:
    """README.md, docs/api.md, the HTML reference, the changelog and the lock."""
    from . import release

    api = package.api
    files = package.documentation(document)
    files[CHANGELOG_NAME] = changelog or release.prepend(
        None, release.first_entry(api, method_count(api)), api.package
    )
    files[LOCK_NAME] = lock
    return files


def _surface_file(api: m.Api) -> dict[str, str]:
    from .diff import surface_json

    return {SURFACE_NAME: surface_json(api)}


def write_package(
    api: m.Api,
    lock: str,
    changelog: str | None,
    target: Path,
    *,
    before_swap: Callable[[], object] | None = None,
    document: dict[str, Any] | None = None,
) -> int:
    """Write the package generated from `api` at `target`, all at once (see `replace_tree`); return the
    number of operations' methods its code has.

    With a spare core, two halves of similar cost run side by side: the models (rendered, written and
    formatted) and the surface in a child process; the rest of the code, then the docs, here. Without
    one, all the code is formatted in one ruff run. `before_swap` runs when every file is staged, just
    before the package is moved into place.
    """
    from .background import Background, jobs
    from .render import PackageRenderer

    package = PackageRenderer(api)

    def write_models_and_surface(staging: Path) -> None:
        _write_formatted(package.models(), staging, [package.models_folder])
        write_files(_surface_file(api), staging)

    def fill(staging: Path) -> None:
        if jobs() < 2:
            _write_formatted({**package.models(), **package.code()}, staging, ["."])
            write_files(
                {**_documentation_files(package, lock, changelog, document), **_surface_file(api)}, staging
            )
        else:
            with Background(lambda: write_models_and_surface(staging)) as models:
                code = package.code()
                _write_formatted(code, staging, [path for path in code if path.endswith(".py")])
                write_files(_documentation_files(package, lock, changelog, document), staging)
                models.result()
        if before_swap is not None:
            before_swap()

    replace_tree(target, fill)
    return package.methods_emitted()


def _write_formatted(files: dict[str, str], root: Path, python: list[str]) -> None:
    """Write `files` under `root`, then format the Python among them (`python`: files or folders)."""
    from .render.format import format_tree

    write_files(files, root)
    format_tree(root, python)


def render_files(
    spec: Path, config: Path | None, package: str | None = None, *, changelog: str | None = None
) -> tuple[m.Api, dict[str, str]]:
    """The complete, formatted file map of one package (with its lock), and the IR it came from."""
    document = _read(spec)
    api = build_ir(spec, config, package, document=document)
    return api, package_files(api, lock_text(spec, config), changelog, document.data)


def expected_files(vendor: VendorSpec, out_root: Path) -> dict[str, str]:
    """What `gen generate` would leave in `out_root/<vendor>` now: the check compares this with the disk.

    The changelog is history, not a function of the spec: the committed one is expected as it is, provided
    its newest entry is the current version.
    """
    from . import release

    document = _read(vendor.spec)
    api = build_ir(vendor.spec, vendor.config, document=document)
    committed = _read_text(out_root / vendor.name / CHANGELOG_NAME)
    keep = committed if release.top_version(committed) == api.package.version else None
    return package_files(api, lock_text(vendor.spec, vendor.config), keep, document.data)


def _read(spec: Path) -> Document:
    """The spec read once, for the parser and for the copy of it the docs carry (codesamples)."""
    from .load import load

    return load(spec, validate_schema=False)


def read_surface(target: Path) -> Surface | None:
    """The surface stored by the last generation into `target` (None: never generated there)."""
    path = target / SURFACE_NAME
    text = _read_text(path)
    if text is None:
        return None
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(
            f"not valid JSON ({exc.msg}); delete it to start the changelog afresh", file=str(path)
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("package"), dict):
        raise SpecError("not a surface file; delete it to start the changelog afresh", file=str(path))
    return data


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def generate_all(vendors: list[VendorSpec], out_root: Path, *, force: bool = False) -> list[Outcome]:
    """`generate` for each vendor, side by side when there are cores to spare; outcomes in vendor order.

    Every out-of-date vendor is generated even when another fails; the first failure is raised after.
    """
    current = {
        v.name for v in vendors if not force and is_current(out_root / v.name, lock_text(v.spec, v.config))
    }
    stale = [v for v in vendors if v.name not in current]
    done: dict[str, Outcome] = {}
    if stale:  # the process pool loads only when there is work
        from .background import in_parallel

        documents = _read_while_importing([v.spec for v in stale])
        tasks = [
            partial(generate, v, out_root, document=document)
            for v, document in zip(stale, documents, strict=True)
        ]
        outcomes = in_parallel(tasks, [v.spec.stat().st_size for v in stale])
        done = dict(zip((v.name for v in stale), outcomes, strict=True))
    return [done.get(v.name) or Outcome(v.name, out_root / v.name, False, 0, 0) for v in vendors]


def _read_while_importing(specs: list[Path]) -> list[Document | None]:
    """The documents, read in a child process while this one imports the code that generates from them.

    The processes that then share the vendors are forked from this one with that code loaded: importing
    it (openapi-pydantic builds its models on import) costs as much as reading the four vendor specs,
    and would otherwise be paid in each of them.
    """
    from .background import Background
    from .pipeline import read_spec

    with Background(lambda: [read_spec(spec) for spec in specs]) as reading:
        _import_generation()
        return reading.result()


def _import_generation() -> None:
    """Import every module generating a package loads on first use, and compute what each one caches."""
    import openapi_pydantic  # noqa: F401

    from . import config, parse, release  # noqa: F401
    from .render import environment
    from .render.format import ruff_path
    from .write import generator_fingerprint, generator_version

    environment()
    ruff_path()
    generator_version()
    generator_fingerprint()


def generate(vendor: VendorSpec, out_root: Path, *, document: Document | None = None) -> Outcome:
    """Regenerate one vendor's package (`generate_all` decides which are out of date); bump its version in
    gen.toml and extend its changelog on changes.

    All files are rendered before anything is written; then gen.toml gets the new version, then the package
    is swapped in. A run interrupted in between leaves gen.toml ahead of the package, which the next run
    takes as a version already chosen: it writes the package and its changelog entry without a second bump.

    `document`: the vendor's spec, already read (else it is read here).
    """

    target = out_root / vendor.name
    from . import release
    from .load import load

    if document is None:
        document = load(vendor.spec, validate_schema=False)
    api = build_ir(vendor.spec, vendor.config, document=document)
    try:
        planned = release.plan(
            api, read_surface(target), _read_text(target / CHANGELOG_NAME), methods=method_count(api)
        )
    except SpecError as exc:
        raise exc.located(str(vendor.config if exc.at else target / SURFACE_NAME)) from None
    config_text = _read_text(vendor.config)
    new_config = None
    if planned.version != api.package.version:
        try:
            new_config = release.set_config_version(config_text, planned.version)
        except SpecError as exc:
            raise exc.located(str(vendor.config)) from None
    if new_config is None:
        methods = write_package(
            planned.api,
            lock_text(vendor.spec, vendor.config),
            planned.changelog,
            target,
            document=document.data,
        )
    else:
        methods = _write_with_config(planned, vendor, target, new_config, document.data)
    return _outcome(vendor.name, target, planned, operation_count(document), methods)


def _write_with_config(
    planned: release.Release, vendor: VendorSpec, target: Path, config: str, document: dict[str, Any]
) -> int:
    with staged_file(vendor.config, config) as staged:
        return write_package(
            planned.api,
            lock_text(vendor.spec, staged),
            planned.changelog,
            target,
            before_swap=lambda: staged.replace(vendor.config),
            document=document,
        )


def _outcome(name: str, target: Path, planned: release.Release, operations: int, methods: int) -> Outcome:
    return Outcome(
        name,
        target,
        True,
        operations,
        methods,
        planned.version,
        planned.previous_version,
        planned.changes,
    )


def generate_spec(spec: Path, out: Path, package: str | None) -> Outcome:
    """Generate from any document into `out`; without gen.toml the version lives in the stored surface."""
    from . import release
    from .load import load

    document = load(spec, validate_schema=False)
    api = build_ir(spec, None, package, document=document)
    try:
        planned = release.plan(
            api, read_surface(out), _read_text(out / CHANGELOG_NAME), methods=method_count(api), pinned=False
        )
    except SpecError as exc:
        raise exc.located(str(out / SURFACE_NAME)) from None
    methods = write_package(
        planned.api, lock_text(spec, None), planned.changelog, out, document=document.data
    )
    return _outcome(planned.api.package.import_name, out, planned, operation_count(document), methods)
