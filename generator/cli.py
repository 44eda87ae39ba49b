"""`gen`: the command line. The only place that knows argv, exit codes and terminal output.

Exit codes: 0 ok; 1 out of date, or a breaking change found; 2 bad input (one line on stderr naming the file
and the JSON pointer).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import SpecError
from .pipeline import build_ir, find_vendors, vendor

if TYPE_CHECKING:
    from .diff import Change
    from .generate import Outcome

EXIT_OK = 0
EXIT_OUT_OF_DATE = 1
EXIT_BAD_INPUT = 2

HELP = (
    "Generate typed Python client packages and their docs from OpenAPI 3.x documents.\n\n"
    "Exit codes: 0 ok; 1 out of date (check) or a breaking change found (diff); 2 bad input, reported as "
    "one line naming the file and the JSON pointer."
)

app = typer.Typer(
    name="gen",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)

SpecsDir = Annotated[
    Path, typer.Option("--specs", help="Folder holding one `<vendor>/openapi.yaml` (+ gen.toml) per vendor.")
]


def fail(error: SpecError) -> typer.Exit:
    """Report bad input as one line on stderr; the caller raises the returned Exit."""
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(EXIT_BAD_INPUT)


@app.command("ir")
def ir_command(
    name: Annotated[str | None, typer.Argument(metavar="VENDOR", help="A folder name under --specs.")] = None,
    spec: Annotated[Path | None, typer.Option("--spec", help="Any OpenAPI 3.x document instead.")] = None,
    package: Annotated[str | None, typer.Option(help="Import name of the package (with --spec).")] = None,
    specs: SpecsDir = Path("specs"),
) -> None:
    """Print the intermediate model of a vendor's spec (or of --spec PATH) as JSON.

    Exit codes: 0 ok; 2 bad input.
    """
    if (name is None) == (spec is None):
        typer.echo("error: give either VENDOR or --spec PATH", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        if spec is not None:
            api = build_ir(spec, package=package)
        else:
            assert name is not None
            found = vendor(specs, name)
            api = build_ir(found.spec, found.config)
    except SpecError as exc:
        raise fail(exc) from None
    from .ir import to_json

    sys.stdout.write(to_json(api))


OutDir = Annotated[Path, typer.Option("--out", help="Where generated packages go (one folder per vendor).")]


def _chatty() -> bool:
    """Progress lines for people at a terminal; CI logs stay quiet."""
    import os

    return sys.stderr.isatty() and not os.environ.get("CI")


@app.command("generate")
def generate_command(
    names: Annotated[
        list[str] | None, typer.Argument(metavar="[VENDOR]...", help="Vendors (default: all).")
    ] = None,
    spec: Annotated[
        Path | None, typer.Option("--spec", help="Generate from any OpenAPI 3.x document.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: generated/).")] = None,
    package: Annotated[str | None, typer.Option(help="Import name of the package (with --spec).")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Render even when the lock says nothing changed.")
    ] = False,
    specs: SpecsDir = Path("specs"),
) -> None:
    """Render client packages: every vendor under --specs (or the ones named), or one --spec document.

    An unchanged vendor (same spec, gen.toml and generator, per its gen.lock) is not rendered again. When
    the client's methods or models changed since the last generation, the version in gen.toml is bumped
    (breaking: major, additive: minor, else patch; before 1.0 breaking: minor, else patch) and the
    changes head the package's CHANGELOG.md.

    Exit codes: 0 ok; 2 bad input.
    """
    from .generate import generate_all, generate_spec

    try:
        if spec is not None:
            if names:
                typer.echo("error: give either VENDOR names or --spec PATH", err=True)
                raise typer.Exit(EXIT_BAD_INPUT)
            target = out or Path("generated") / spec.stem
            outcome = generate_spec(spec, target, package)
            typer.echo(f"{outcome.target}: {_generated(outcome)}")
            _report_release(outcome)
            return
        chosen = [vendor(specs, name) for name in names] if names else find_vendors(specs)
        outcomes = generate_all(chosen, out or Path("generated"), force=force)
        for found, outcome in zip(chosen, outcomes, strict=True):
            if _chatty():
                typer.echo(
                    f"{found.name}: {_generated(outcome) if outcome.written else 'unchanged'}", err=True
                )
            _report_release(outcome)
    except SpecError as exc:
        raise fail(exc) from None


def _generated(outcome: Outcome) -> str:
    """`operations: N/M generated`: the methods in the code written against the operations of the document,
    each counted on its own, so that an operation left out shows."""
    return f"operations: {outcome.methods}/{outcome.operations} generated"


def _report_release(outcome: Outcome) -> None:
    """A new version is news in any log: one line naming it, the changes and the changelog."""
    if outcome.previous_version is None or outcome.previous_version == outcome.version:
        return
    typer.echo(
        f"{outcome.name}: version {outcome.previous_version} -> {outcome.version} "
        f"({_counts(outcome.changes)}); see {outcome.target / 'CHANGELOG.md'}",
        err=True,
    )


def _counts(changes: Sequence[Change]) -> str:
    if not changes:
        return "no changes"
    words = {"breaking": "breaking", "additive": "additive", "docs": "documentation"}
    parts = [f"{sum(1 for c in changes if c.kind == kind)} {word}" for kind, word in words.items()]
    return ", ".join(part for part in parts if not part.startswith("0 "))


@app.command("check")
def check_command(
    specs: SpecsDir = Path("specs"),
    out: Annotated[Path, typer.Option("--out", help="The committed packages to check.")] = Path("generated"),
) -> None:
    """Render every vendor afresh (in memory) and fail, listing the files, if the output folder differs.

    Exit codes: 0 up to date; 1 out of date (the differing files are listed); 2 bad input.
    """
    from .generate import expected_files
    from .write import differences, read_tree

    stale: list[str] = []
    try:
        vendors = find_vendors(specs)
        for found in vendors:
            files = expected_files(found, out)
            stale += [
                f"{out / found.name / path}" for path in differences(files, read_tree(out / found.name))
            ]
    except SpecError as exc:
        raise fail(exc) from None
    expected = {found.name for found in vendors}
    if out.is_dir():
        stale += [
            str(extra) for extra in sorted(out.iterdir()) if extra.is_dir() and extra.name not in expected
        ]
    if stale:
        typer.echo(f"{out} is out of date with {specs}; run `gen generate`. Differing files:", err=True)
        for path in stale:
            typer.echo(f"  {path}", err=True)
        raise typer.Exit(EXIT_OUT_OF_DATE)
    typer.echo(f"{out} is up to date ({len(vendors)} packages).")


@app.command("diff")
def diff_command(
    name: Annotated[
        str | None, typer.Argument(metavar="[VENDOR]", help="A folder name under --specs.")
    ] = None,
    spec: Annotated[
        Path | None, typer.Option("--spec", help="The new version: any OpenAPI 3.x document.")
    ] = None,
    against: Annotated[
        str | None,
        typer.Option("--against", metavar="GIT_REF", help="The old version: the same file at this git ref."),
    ] = None,
    old: Annotated[Path | None, typer.Option("--old", help="The old version: another document.")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Where the last generation is (default: generated/).")
    ] = None,
    specs: SpecsDir = Path("specs"),
) -> None:
    """List what changed between two versions of a spec, classified as breaking, additive or docs.

    The new version is VENDOR's spec (or --spec PATH); the old one is the same file at a git ref
    (--against GIT_REF, read with `git show`, with the gen.toml of that ref), another document
    (--old PATH), or by default the last generation in --out (what `gen generate` compares with). Changes
    are printed one per line, in the client's terms (`client.workflows.run`, `Workflow.status`).

    Exit codes: 0 no breaking change; 1 a breaking change found; 2 bad input.
    """
    from .diff import compare, surface
    from .generate import read_surface
    from .gitref import ir_at_ref

    if (name is None) == (spec is None):
        typer.echo("error: give either VENDOR or --spec PATH", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    if against is not None and old is not None:
        typer.echo("error: give at most one of --against GIT_REF and --old PATH", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        if spec is not None:
            new_spec, config, label = spec, None, spec.stem
        else:
            assert name is not None
            found = vendor(specs, name)
            new_spec, config, label = found.spec, found.config, found.name
        new_surface = surface(build_ir(new_spec, config))
        if against is not None:
            old_surface = surface(ir_at_ref(against, new_spec, config))
        elif old is not None:
            old_surface = surface(build_ir(old, config))
        else:
            folder = (out or Path("generated")) / label
            stored = read_surface(folder)
            if stored is None:
                raise SpecError(
                    "no previous generation here to compare with; give --against GIT_REF or --old PATH",
                    file=str(folder),
                )
            old_surface = stored
        try:
            changes = compare(old_surface, new_surface)
        except (KeyError, TypeError, ValueError) as exc:
            raise SpecError(f"the stored surface cannot be read ({exc})") from None
    except SpecError as exc:
        raise fail(exc) from None
    for change in changes:
        typer.echo(f"{change.kind:<9} {change}")
    if not changes:
        typer.echo("no changes")
    typer.echo(f"{name or spec}: {_counts(changes)}", err=True)
    if any(change.kind == "breaking" for change in changes):
        raise typer.Exit(EXIT_OUT_OF_DATE)


@app.command("pull")
def pull_command(
    name: Annotated[str, typer.Argument(metavar="VENDOR", help="A folder name under --specs.")],
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the server.")] = 60.0,
    specs: SpecsDir = Path("specs"),
) -> None:
    """Fetch VENDOR's spec from `[source] url` in its gen.toml into `specs/<vendor>/openapi.yaml`.

    The document may be YAML or JSON (JSON is written as YAML into a .yaml file). It must load and parse
    like any spec before it atomically replaces the file; otherwise the file is left as it was.

    Exit codes: 0 updated or already current; 2 bad input (no url, the fetch failed, not a valid spec).
    """
    from .pull import pull

    try:
        target, url, changed = pull(specs, name, timeout)
    except SpecError as exc:
        raise fail(exc) from None
    typer.echo(f"{target}: {'updated' if changed else 'unchanged'} from {url}")


def main() -> None:
    """The `gen` entry point. Exits without tearing down the heap: freeing a large document's IR object by
    object only delays the exit (every child process has been waited for, every file closed)."""
    # A run builds one large graph (document, IR, rendered files) that lives until the exit: the cyclic
    # collector's full passes over it free nothing and cost a tenth of a generation. Young garbage is
    # still collected.
    gc.set_threshold(200_000, 1000, 1000)
    try:
        app()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError):  # a reader that went away (`gen ir | head`) has what it wanted
            stream.flush()
    os._exit(code or 0)


@app.callback(help=HELP)
def _root() -> None:
    """Generate typed Python client packages and their docs from OpenAPI 3.x documents."""
