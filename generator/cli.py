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
    from .ir.model import Api

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
            typer.echo(f"{outcome.target}: operations: {outcome.generated}/{outcome.operations} generated")
            _report_release(outcome)
            return
        chosen = [vendor(specs, name) for name in names] if names else find_vendors(specs)
        outcomes = generate_all(chosen, out or Path("generated"), force=force)
        for found, outcome in zip(chosen, outcomes, strict=True):
            if _chatty():
                status = (
                    f"operations: {outcome.generated}/{outcome.operations} generated"
                    if outcome.written
                    else "unchanged"
                )
                typer.echo(f"{found.name}: {status}", err=True)
            _report_release(outcome)
    except SpecError as exc:
        raise fail(exc) from None


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
            old_surface = surface(_ir_at_ref(against, new_spec, config))
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


def _git_show(ref: str, path: Path) -> str | None:
    """`path` as committed at `ref` (None when it is not there); a bad ref or no git is bad input."""
    import subprocess

    try:
        result = subprocess.run(
            ["git", "show", f"{ref}:./{path.name}"],
            cwd=path.parent,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise SpecError("git is not installed", file="--against") from None
    if result.returncode == 0:
        return result.stdout
    message = (result.stderr.strip().splitlines() or ["git show failed"])[-1]
    if "does not exist in" in message or "exists on disk, but not in" in message:
        return None
    raise SpecError(message.removeprefix("fatal: "), file=f"--against {ref}")


def _ir_at_ref(ref: str, spec: Path, config: Path | None) -> Api:
    """The IR of `spec` (and its gen.toml) as they were at git `ref`."""
    import tempfile

    text = _git_show(ref, spec)
    if text is None:
        raise SpecError(f"the file does not exist at {ref}", file=str(spec))
    old_config = _git_show(ref, config) if config is not None else None
    with tempfile.TemporaryDirectory(prefix="gen-diff-") as tmp:
        staged = Path(tmp) / spec.name
        staged.write_text(text, encoding="utf-8")
        staged_config = None
        if old_config is not None:
            staged_config = Path(tmp) / "gen.toml"
            staged_config.write_text(old_config, encoding="utf-8")
        try:
            return build_ir(staged, staged_config)
        except SpecError as exc:
            source = config if staged_config is not None and exc.file == str(staged_config) else spec
            raise SpecError(exc.message, file=f"{ref}:{source}", at=exc.at) from None


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
    try:
        target, config, url = _pull_source(specs, name)
        text = _fetch(url, timeout)
        changed = _replace_spec(target, config, url, text)
    except SpecError as exc:
        raise fail(exc) from None
    typer.echo(f"{target}: {'updated' if changed else 'unchanged'} from {url}")


def _pull_source(specs: Path, name: str) -> tuple[Path, Path, str]:
    from .config import load_config
    from .errors import pointer
    from .pipeline import SPEC_NAMES

    folder = specs / name
    if not (folder / "gen.toml").is_file():
        vendor(specs, name)  # names the known vendors when there is no such folder
        raise SpecError("no gen.toml with a [source] url to pull from", file=str(folder / "gen.toml"))
    config = folder / "gen.toml"
    url = load_config(config, name).source_url
    if not url:
        raise SpecError("no [source] url to pull from", file=str(config), at=pointer("source", "url"))
    if not url.startswith(("http://", "https://")):
        raise SpecError(f"{url!r} is not an http(s) URL", file=str(config), at=pointer("source", "url"))
    target = next((folder / n for n in SPEC_NAMES if (folder / n).is_file()), folder / SPEC_NAMES[0])
    return target, config, url


_MAX_SPEC_BYTES = 64 * 1024 * 1024


def _fetch(url: str, timeout: float) -> str:
    import urllib.error
    import urllib.request

    from .write import generator_version

    request = urllib.request.Request(
        url,
        headers={
            "Accept": "application/yaml, application/json;q=0.9, */*;q=0.5",
            "User-Agent": f"gen/{generator_version()}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read(_MAX_SPEC_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise SpecError(f"the server answered HTTP {exc.code} {exc.reason}", file=url) from None
    except urllib.error.URLError as exc:
        raise SpecError(f"cannot fetch the document: {exc.reason}", file=url) from None
    except TimeoutError:
        raise SpecError(f"no answer within {timeout:g} seconds", file=url) from None
    except OSError as exc:
        raise SpecError(f"cannot fetch the document: {exc}", file=url) from None
    if len(data) > _MAX_SPEC_BYTES:
        raise SpecError(f"the document is larger than {_MAX_SPEC_BYTES // 2**20} MiB", file=url)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpecError("the document is not UTF-8 text", file=url) from None


def _replace_spec(target: Path, config: Path, url: str, text: str) -> bool:
    """Validate `text` and atomically put it at `target` (as YAML or JSON, like the file it replaces)."""
    import json
    import os
    import tempfile

    import yaml

    from .load import read_data

    is_json = text.lstrip().startswith("{")
    if is_json != (target.suffix == ".json"):
        with tempfile.TemporaryDirectory(prefix="gen-pull-") as tmp:
            raw = Path(tmp) / ("fetched.json" if is_json else "fetched.yaml")
            raw.write_text(text, encoding="utf-8")
            try:
                data = read_data(raw)
            except SpecError as exc:
                raise SpecError(exc.message, file=url, at=exc.at) from None
        if target.suffix == ".json":
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        else:
            text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}.pull-", suffix=target.suffix, dir=target.parent)
    staged = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        try:
            build_ir(staged, config)
        except SpecError as exc:
            raise SpecError(exc.message, file=url, at=exc.at) from None
        os.chmod(staged, target.stat().st_mode & 0o7777 if target.exists() else 0o644)
        staged.replace(target)
    finally:
        staged.unlink(missing_ok=True)
    return True


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
