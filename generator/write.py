"""Disk I/O of generation: the provenance lock, and atomic replacement of a whole package tree or one file.

A failed run leaves the previous tree or file as it was: the new one is written beside it first and moved
into place (a rename) only when it is complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

LOCK_NAME = "gen.lock"
_GENERATOR_ROOT = Path(__file__).resolve().parent


@cache
def generator_version() -> str:
    from importlib.metadata import PackageNotFoundError  # a slow import, needed only here
    from importlib.metadata import version as dist_version

    try:
        return dist_version("gen-openapi-python")
    except PackageNotFoundError:
        return "0+unknown"


@cache
def generator_fingerprint() -> str:
    """A hash of the generator's own code, runtime and templates (and the assets copied from them: the
    reference site's script and stylesheet): output changes only when this does."""
    from .locations import templates_dir

    digest = hashlib.sha256()
    for root in (_GENERATOR_ROOT, templates_dir()):
        for path in sorted(root.rglob("*")):
            if (
                path.is_file()
                and path.suffix in (".py", ".j2", ".js", ".css")
                and "__pycache__" not in path.parts
            ):
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def file_hash(path: Path | None) -> str | None:
    if path is None or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lock_text(spec: Path, config: Path | None) -> str:
    """The provenance of a generated package: what it was generated from and by what."""
    lock = {
        "generator": generator_version(),
        "generator_sha256": generator_fingerprint(),
        "spec": spec.name,
        "spec_sha256": file_hash(spec),
        "config_sha256": file_hash(config),
    }
    return json.dumps(lock, indent=2, sort_keys=True) + "\n"


def is_current(target: Path, lock: str) -> bool:
    existing = target / LOCK_NAME
    return existing.is_file() and existing.read_text(encoding="utf-8") == lock


def read_tree(root: Path) -> dict[str, str]:
    """Every file under `root` as text, by relative POSIX path (caches ignored)."""
    if not root.is_dir():
        return {}
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not any(_is_cache(part) for part in relative.parts):
            files[relative.as_posix()] = path.read_text(encoding="utf-8", errors="replace")
    return files


def _is_cache(part: str) -> bool:
    """Tool caches that tools (mypy, ruff, pytest, Python) leave beside sources are not package files."""
    return (
        part == "__pycache__" or part.endswith(".pyc") or (part.startswith(".") and part.endswith("_cache"))
    )


def differences(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """Paths that are missing, extra, or different, sorted."""
    changed = {path for path in expected.keys() & actual.keys() if expected[path] != actual[path]}
    return sorted(changed | (expected.keys() ^ actual.keys()))


def replace_tree(target: Path, fill: Callable[[Path], None]) -> None:
    """Replace `target` with what `fill` writes into an empty staging folder beside it, all at once.

    The staging and retired folders are named after this process, so that a later run can tell those of
    a killed run (its process gone) from those of a run still going, and remove them.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-{os.getpid()}-", dir=target.parent))
    try:
        fill(staging)
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=target.parent))
            target.rename(retired / target.name)
            staging.rename(target)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _remove_abandoned(target: Path) -> None:
    """Remove the staging and retired folders beside `target` whose run was killed before it finished."""
    name = re.compile(rf"\.{re.escape(target.name)}\.(?:new|old)-(\d+)-")
    with os.scandir(target.parent) as entries:
        for entry in entries:
            found = name.match(entry.name)
            if found and entry.is_dir(follow_symlinks=False) and not _running(int(found.group(1))):
                shutil.rmtree(entry.path, ignore_errors=True)


def _running(pid: int) -> bool:
    """Whether process `pid` exists (where that cannot be asked safely, it is taken to exist)."""
    if os.name != "posix":  # os.kill(pid, 0) would end the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def write_files(files: dict[str, str], root: Path) -> None:
    """Write `files` (relative POSIX path -> text) under the existing folder `root`, as UTF-8 with `\n`
    line ends on every platform.

    A package has hundreds of files: each is written with three system calls, where a text-mode `open`
    makes four more (stat, tty check, two seeks); on machines where system calls are slow (virtual ones)
    that made writing the files three times slower.
    """
    folders = {root}
    for relative, text in files.items():
        path = root / relative
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        data = memoryview(text.encode("utf-8"))
        fd = os.open(path, _CREATE, 0o666)
        try:
            while data:
                data = data[os.write(fd, data) :]
        finally:
            os.close(fd)


@contextmanager
def staged_file(target: Path, text: str) -> Iterator[Path]:
    """`text` in a new file beside `target`, with the permissions of `target` (0o644 for a new file).

    The block checks it as it needs, then puts it in place with `staged.replace(target)`, one atomic
    rename: a reader sees the old file or the new one, never a part. A staged file that was not moved is
    removed on leaving the block.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    staged = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(staged, target.stat().st_mode & 0o7777 if target.exists() else 0o644)
        yield staged
    finally:
        staged.unlink(missing_ok=True)
