"""Versions and changelogs: a spec edit flows through `gen diff`, `gen generate`, gen.toml and CHANGELOG.md.

The end-to-end tests work in a temporary git repository holding fixture vendors, as a user's checkout would.
"""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from generator import release
from generator.diff import Change
from generator.write import read_tree
from tests.cli.test_diff import EXPECTED, FIXTURES
from tests.conftest import run_gen

# ---- rules -------------------------------------------------------------------------------------------------


def _changes(*kinds: str) -> list[Change]:
    return [Change(kind, "client.x.y", "changed") for kind in kinds]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("version", "kinds", "expected"),
    [
        ("1.2.3", ("breaking", "additive", "docs"), "2.0.0"),
        ("1.2.3", ("additive", "docs"), "1.3.0"),
        ("1.2.3", ("docs",), "1.2.4"),
        ("1.2.3", (), "1.2.3"),
        ("0.3.1", ("breaking",), "0.4.0"),
        ("0.3.1", ("additive",), "0.3.2"),
        ("0.3.1", ("docs",), "0.3.2"),
        ("1.0.0rc1", ("additive",), "1.1.0"),
    ],
)
def test_bump_rules(version: str, kinds: tuple[str, ...], expected: str) -> None:
    assert release.bump(version, _changes(*kinds)) == expected


def test_bump_rejects_a_version_that_is_not_semver() -> None:
    with pytest.raises(release.SpecError, match=r"is not MAJOR\.MINOR\.PATCH"):
        release.bump("latest", _changes("docs"))


def test_set_config_version_keeps_everything_else() -> None:
    text = (
        "# package settings\n"
        "[env]\n"
        'version = "not this one"\n'
        "\n"
        "[package]\n"
        'name = "x-typed"\n'
        "version   =   '0.1.0'   # bumped by gen\n"
        "\n"
        "[client]\n"
        "timeout = 3.0\n"
    )
    updated = release.set_config_version(text, "0.2.0")
    assert updated == text.replace("version   =   '0.1.0'", 'version   =   "0.2.0"')
    assert tomllib.loads(updated)["package"]["version"] == "0.2.0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, '[package]\nversion = "1.0.0"\n'),
        ('[package]\nname = "x"\n', '[package]\nversion = "1.0.0"\nname = "x"\n'),
        ('[env]\napi_key = "X"', '[package]\nversion = "1.0.0"\n\n[env]\napi_key = "X"\n'),
    ],
)
def test_set_config_version_adds_the_key_when_missing(text: str | None, expected: str) -> None:
    assert release.set_config_version(text, "1.0.0") == expected
    assert tomllib.loads(expected)["package"]["version"] == "1.0.0"


# ---- end to end in a git repository ------------------------------------------------------------------------

VENDORS = {  # name: (version in gen.toml, the edit applied, the version after it)
    "alpha": ("1.2.0", "breaking", "2.0.0"),
    "beta": ("1.2.0", "additive", "1.3.0"),
    "gamma": ("0.3.1", "breaking", "0.4.0"),
    "delta": ("0.3.1", "docs", "0.3.2"),
}


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=gen tests", "-c", "user.email=gen@example.invalid", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def _gen(repo: Path, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    result = run_gen(*args, cwd=repo)
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


def _config(name: str, version: str) -> str:
    return (
        "[package]\n"
        f'name = "{name}-typed"\n'
        f'import_name = "{name}_typed"\n'
        f'client_class = "{name.capitalize()}"\n'
        f'version = "{version}"\n'
        'description = "Typed Python client for the diff fixture"\n'
        "\n"
        "[env]\n"
        f'api_key = "{name.upper()}_API_KEY"\n'
    )


def _snapshot(repo: Path) -> dict[str, str]:
    return {
        **{f"generated/{k}": v for k, v in read_tree(repo / "generated").items()},
        **{f"specs/{k}": v for k, v in read_tree(repo / "specs").items()},
    }


def _version(repo: Path, name: str) -> str:
    config = tomllib.loads((repo / "specs" / name / "gen.toml").read_text(encoding="utf-8"))
    built = tomllib.loads((repo / "generated" / name / "pyproject.toml").read_text(encoding="utf-8"))
    assert built["project"]["version"] == config["package"]["version"]
    return str(config["package"]["version"])


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository with four fixture vendors, generated once and committed."""
    root = tmp_path_factory.mktemp("repo")
    for name, (version, _, _) in VENDORS.items():
        folder = root / "specs" / name
        folder.mkdir(parents=True)
        shutil.copy(FIXTURES / "breaking" / "before.yaml", folder / "openapi.yaml")
        (folder / "gen.toml").write_text(_config(name, version), encoding="utf-8")
    _git(root, "init", "--quiet")
    _gen(root, "generate")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "--message", "first generation")
    return root


def test_first_generation_writes_an_initial_entry_and_is_in_sync(repo: Path) -> None:
    for name, (version, _, _) in VENDORS.items():
        changelog = (repo / "generated" / name / "CHANGELOG.md").read_text(encoding="utf-8")
        assert changelog.splitlines()[:2] == [
            "<!-- Generated by gen. Do not edit: change the spec and regenerate. -->",
            f"# Changelog of {name}-typed",
        ]
        assert changelog.endswith(
            f"\n## {version}\n\nFirst release, generated from the Diff Fixture document (version 1.0.0): "
            "4 methods and 4 models.\n"
        )
        assert (repo / "generated" / name / "gen.surface.json").is_file()
        assert _version(repo, name) == version
    assert _gen(repo, "check").stdout == "generated is up to date (4 packages).\n"


def test_regenerating_without_changes_changes_nothing(repo: Path) -> None:
    before = _snapshot(repo)
    _gen(repo, "generate")
    _gen(repo, "generate", "--force")
    assert _snapshot(repo) == before
    assert _git(repo, "status", "--porcelain") == ""


def test_spec_edits_flow_through_diff_generate_version_and_changelog(repo: Path) -> None:
    for name, (_, case, _) in VENDORS.items():
        shutil.copy(FIXTURES / case / "after.yaml", repo / "specs" / name / "openapi.yaml")
    stale = _gen(repo, "check", code=1)
    assert "generated/alpha/gen.surface.json" in stale.stderr

    # gen diff, against the last commit and against the last generation, says the same
    for name, (_, case, _) in VENDORS.items():
        code = 1 if case == "breaking" else 0
        assert _gen(repo, "diff", name, "--against", "HEAD", code=code).stdout.splitlines() == EXPECTED[case]
        assert _gen(repo, "diff", name, code=code).stdout.splitlines() == EXPECTED[case]

    generated = _gen(repo, "generate")
    assert "alpha: version 1.2.0 -> 2.0.0 (9 breaking); see generated/alpha/CHANGELOG.md" in generated.stderr
    assert "beta: version 1.2.0 -> 1.3.0 (8 additive); see generated/beta/CHANGELOG.md" in generated.stderr

    for name, (version, case, bumped) in VENDORS.items():
        assert _version(repo, name) == bumped
        # gen.toml: only the version line changed
        config_diff = _git(repo, "diff", "--unified=0", "--no-color", f"specs/{name}/gen.toml")
        assert config_diff.splitlines()[-2:] == [f'-version = "{version}"', f'+version = "{bumped}"']
        changelog = (repo / "generated" / name / "CHANGELOG.md").read_text(encoding="utf-8")
        rest = changelog.split("\n## ", 1)[1]
        assert ("## " + rest).startswith(_changelog_entry(bumped, case))
        assert rest.endswith(
            f"\n## {version}\n\nFirst release, generated from the Diff Fixture document (version 1.0.0): "
            "4 methods and 4 models.\n"
        )

    _gen(repo, "check")
    after = _snapshot(repo)
    _gen(repo, "generate")
    assert _snapshot(repo) == after
    assert _gen(repo, "diff", "alpha").stdout == "no changes\n"
    against_head = _gen(repo, "diff", "alpha", "--against", "HEAD", code=1)
    assert against_head.stdout.splitlines() == EXPECTED["breaking"]
    _git(repo, "add", "--all")
    _git(repo, "commit", "--quiet", "--message", "edits")


def _changelog_entry(version: str, case: str) -> str:
    """The entry as a user reads it: the changes as sentences, grouped by kind."""
    titles = {"breaking": "Breaking changes", "additive": "Added", "docs": "Documentation"}
    lines = [f"## {version}", "", "Generated from the Diff Fixture document (version 1.0.0)."]
    for kind, title in titles.items():
        chosen = [line.split(None, 1)[1] for line in EXPECTED[case] if line.split(None, 1)[0] == kind]
        if chosen:
            lines += ["", f"### {title}", ""]
            for item in chosen:
                subject, message = item.split(": ", 1)
                lines.append(f"- `{subject}`: {message}.")
    return "\n".join(lines) + "\n"


def test_a_version_set_by_hand_is_kept(repo: Path) -> None:
    config = repo / "specs" / "beta" / "gen.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('"1.3.0"', '"2.0.0"'), encoding="utf-8")
    _gen(repo, "generate", "beta")
    assert _version(repo, "beta") == "2.0.0"
    changelog = (repo / "generated" / "beta" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "\n## 2.0.0\n\nGenerated from the Diff Fixture document (version 1.0.0).\n\n" in changelog
    assert "No changes to the client's methods or models.\n\n## 1.3.0\n" in changelog
    _gen(repo, "check")


def test_any_spec_document_keeps_its_version_in_the_stored_surface(tmp_path: Path) -> None:
    spec, out = tmp_path / "api.yaml", tmp_path / "out"
    shutil.copy(FIXTURES / "breaking" / "before.yaml", spec)
    _gen(tmp_path, "generate", "--spec", str(spec), "--out", str(out))
    shutil.copy(FIXTURES / "breaking" / "after.yaml", spec)
    result = _gen(tmp_path, "generate", "--spec", str(spec), "--out", str(out))
    assert "version 0.1.0 -> 0.2.0 (9 breaking)" in result.stderr
    built = tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))
    assert built["project"]["version"] == "0.2.0"
    assert (out / "CHANGELOG.md").read_text(encoding="utf-8").count("\n## ") == 2


def test_a_version_already_in_gen_toml_is_not_bumped_twice() -> None:
    """gen.toml is written before the package: after an interrupted run it is ahead; the next run keeps it."""
    from dataclasses import replace

    from generator.diff import surface
    from generator.pipeline import build_ir

    def api(case: str, version: str):  # type: ignore[no-untyped-def]
        built = build_ir(FIXTURES / "breaking" / case)
        return replace(built, package=replace(built.package, version=version))

    previous = surface(api("before.yaml", "1.2.0"))
    bumped = release.plan(api("after.yaml", "1.2.0"), previous, None, methods=4)
    ahead = release.plan(api("after.yaml", "2.0.0"), previous, None, methods=4)
    assert bumped.version == ahead.version == "2.0.0"
    assert bumped.changelog == ahead.changelog
    assert len(ahead.changes) == len(EXPECTED["breaking"])
