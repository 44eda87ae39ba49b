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
from .pipeline import build_ir, vendor

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


def main() -> None:
    app()


@app.callback()
def _root() -> None:
    """Generate typed Python client packages and their docs from OpenAPI 3.x documents."""
