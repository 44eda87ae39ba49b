"""Versions and changelogs of generated packages. Pure: text in, text out; the callers do the I/O.

The version of a package lives in `specs/<vendor>/gen.toml` (`[package] version`). When a regeneration finds
changes in the client's surface (see `diff.py`), the version is bumped by the most severe one:

- from 1.0.0 on: breaking -> major, additive -> minor, documentation only -> patch;
- before 1.0.0: breaking -> minor, anything else -> patch.

A version set by hand in gen.toml (different from the one of the last generation) is kept as it is. Each
release gets an entry at the top of the package's CHANGELOG.md listing the changes; the first generation
writes an initial entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from .diff import Change, Surface, compare, surface
from .errors import SpecError, pointer
from .ir import model as m

Level = Literal["major", "minor", "patch"]

_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:[-.+]?[0-9A-Za-z.+-]*)?$")
_HEADING = re.compile(r"^## (\S+)", re.MULTILINE)
_SECTIONS = (("breaking", "Breaking changes"), ("additive", "Added"), ("docs", "Documentation"))


def parse_version(version: str) -> tuple[int, int, int]:
    match = _VERSION.match(version)
    if match is None:
        raise SpecError(f"version {version!r} is not MAJOR.MINOR.PATCH", at=pointer("package", "version"))
    return int(match[1]), int(match[2]), int(match[3])


def level(changes: list[Change]) -> Level | None:
    """The semver level the changes call for (None: no change at all)."""
    kinds = {change.kind for change in changes}
    if "breaking" in kinds:
        return "major"
    if "additive" in kinds:
        return "minor"
    return "patch" if kinds else None


def bump(version: str, changes: list[Change]) -> str:
    """The next version after `version` for these changes (the same one when there are none)."""
    wanted = level(changes)
    if wanted is None:
        return version
    major, minor, patch = parse_version(version)
    if major == 0:  # before 1.0 the public surface is not stable: breaking bumps minor, the rest patch
        wanted = "minor" if wanted == "major" else "patch"
    if wanted == "major":
        return f"{major + 1}.0.0"
    if wanted == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


# ---- changelog ---------------------------------------------------------------------------------------------


def changelog_header(package: m.Package) -> str:
    return (
        f"# Changelog of {package.name}\n"
        "\n"
        "Newest first. `gen generate` writes an entry whenever the API document changes what this\n"
        "client offers: breaking changes bump the major version (the minor one before 1.0), additions\n"
        "the minor one, documentation the patch one.\n"
    )


def _source(api: m.Api) -> str:
    title = " ".join(api.title.split()) or "the API"
    return f"the {title} document" + (f" (version {api.version})" if api.version else "")


def first_entry(api: m.Api, methods: int) -> str:
    models = len(api.models)
    return (
        f"## {api.package.version}\n\n"
        f"First release, generated from {_source(api)}: {methods} method{'s' * (methods != 1)} and "
        f"{models} model{'s' * (models != 1)}.\n"
    )


def entry(api: m.Api, changes: list[Change]) -> str:
    lines = [f"## {api.package.version}", "", f"Generated from {_source(api)}."]
    if not changes:
        lines += ["", "No changes to the client's methods or models."]
    for kind, title in _SECTIONS:
        chosen = [c for c in changes if c.kind == kind]
        if chosen:
            lines += ["", f"### {title}", ""]
            lines += [f"- `{c.subject}`: {c.message}." for c in chosen]
    return "\n".join(lines) + "\n"


def prepend(changelog: str | None, new_entry: str, package: m.Package) -> str:
    """The changelog with `new_entry` on top of the previous entries (a header is added when missing)."""
    text = changelog or changelog_header(package)
    first = _HEADING.search(text)
    if first is None:
        return text.rstrip("\n") + "\n\n" + new_entry
    head, rest = text[: first.start()], text[first.start() :]
    return head + new_entry + "\n" + rest


def top_version(changelog: str | None) -> str | None:
    """The version of the newest entry of a changelog."""
    found = _HEADING.search(changelog or "")
    return found[1] if found else None


# ---- gen.toml ----------------------------------------------------------------------------------------------

_TABLE = re.compile(r"^\s*\[([^\[\]]+)\]\s*(#.*)?$")
_VERSION_LINE = re.compile(r"^(\s*version\s*=\s*)([\"'])[^\"']*\2")


def set_config_version(text: str | None, version: str) -> str:
    """gen.toml with `[package] version` set to `version`, everything else as it was written."""
    lines = (text or "").splitlines(keepends=True)
    table: str | None = None
    header_at: int | None = None
    for index, line in enumerate(lines):
        found = _TABLE.match(line)
        if found:
            table = found[1].strip()
            if table == "package":
                header_at = index
            continue
        if table == "package" and _VERSION_LINE.match(line):
            lines[index] = _VERSION_LINE.sub(lambda found: f'{found[1]}"{version}"', line, count=1)
            return "".join(lines)
    if header_at is not None:
        lines.insert(header_at + 1, f'version = "{version}"\n')
        return "".join(lines)
    prefix = "".join(lines)
    if prefix and not prefix.endswith("\n"):
        prefix += "\n"
    return f'[package]\nversion = "{version}"\n' + ("\n" + prefix if prefix else "")


# ---- one release -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Release:
    """What a regeneration publishes: the package's api (with its new version), changes and changelog."""

    api: m.Api
    previous_version: str | None
    changes: tuple[Change, ...]
    changelog: str

    @property
    def version(self) -> str:
        return self.api.package.version


def plan(
    api: m.Api,
    previous: Surface | None,
    changelog: str | None,
    *,
    methods: int,
    pinned: bool = True,
) -> Release:
    """The release for a regeneration of `api` over a package last generated with surface `previous`.

    `pinned`: the version in `api` comes from gen.toml, and is kept when it differs from the previous one
    (someone set it by hand). Without gen.toml the previous version is the base.
    """
    if previous is None:
        return Release(api, None, (), prepend(None, first_entry(api, methods), api.package))
    try:
        changes = compare(previous, surface(api))
    except (KeyError, TypeError, ValueError) as exc:
        raise SpecError(
            f"the stored surface cannot be read ({exc}); delete it to start the changelog afresh"
        ) from None
    before = str(previous["package"]["version"])
    chosen = api.package.version if pinned else before
    if chosen == before:
        chosen = bump(before, changes)
    if chosen == before and not changes:
        return Release(api, before, (), changelog or prepend(None, first_entry(api, methods), api.package))
    released = replace(api, package=replace(api.package, version=chosen))
    return Release(
        released, before, tuple(changes), prepend(changelog, entry(released, changes), api.package)
    )
