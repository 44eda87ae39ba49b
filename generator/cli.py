"""`gen`: the command line. The only place that knows argv, exit codes and terminal output.

Exit codes: 0 ok; 1 out of date, or a breaking change found; 2 bad input (one line on stderr naming the file
and the JSON pointer).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .errors import SpecError
from .ir import to_json
from .pipeline import build_ir, find_vendors, vendor

EXIT_OK = 0
EXIT_OUT_OF_DATE = 1
EXIT_BAD_INPUT = 2

app = typer.Typer(
    name="gen",
    help="Generate typed Python client packages and their docs from OpenAPI 3.x documents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

SpecsDir = Annotated[
    Path, typer.Option("--specs", help="Folder holding one <vendor>/openapi.yaml (+ gen.toml) per vendor.")
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
    """Print the intermediate model of a vendor's spec (or of --spec PATH) as JSON."""
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

    An unchanged vendor (same spec, gen.toml and generator, per its gen.lock) is not rendered again.
    """
    from .generate import generate, generate_spec

    try:
        if spec is not None:
            if names:
                typer.echo("error: give either VENDOR names or --spec PATH", err=True)
                raise typer.Exit(EXIT_BAD_INPUT)
            target = out or Path("generated") / spec.stem
            outcome = generate_spec(spec, target, package)
            typer.echo(f"{outcome.target}: operations: {outcome.generated}/{outcome.operations} generated")
            return
        chosen = [vendor(specs, name) for name in names] if names else find_vendors(specs)
        for found in chosen:
            outcome = generate(found, out or Path("generated"), force=force)
            if _chatty():
                status = (
                    f"operations: {outcome.generated}/{outcome.operations} generated"
                    if outcome.written
                    else "unchanged"
                )
                typer.echo(f"{found.name}: {status}", err=True)
    except SpecError as exc:
        raise fail(exc) from None


@app.command("check")
def check_command(
    specs: SpecsDir = Path("specs"),
    out: Annotated[Path, typer.Option("--out", help="The committed packages to check.")] = Path("generated"),
) -> None:
    """Render every vendor afresh (in memory) and fail, listing the files, if the output folder differs."""
    from .generate import render_files
    from .write import differences, read_tree

    stale: list[str] = []
    try:
        vendors = find_vendors(specs)
        for found in vendors:
            _, files = render_files(found.spec, found.config)
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


def main() -> None:
    app()


@app.callback()
def _root() -> None:
    """Generate typed Python client packages and their docs from OpenAPI 3.x documents."""
