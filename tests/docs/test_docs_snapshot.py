"""The docs of one small fixture spec, snapshotted as markdown files: a change of format shows in review."""

from __future__ import annotations

from typing import Any

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from generator.pipeline import build_ir
from generator.render import render_package
from tests.conftest import ROOT


class MarkdownSnapshot(SingleFileSnapshotExtension):
    file_extension = "md"
    _write_mode = WriteMode.TEXT


@pytest.fixture
def markdown_snapshot(snapshot: Any) -> Any:
    return snapshot.use_extension(MarkdownSnapshot)


def _docs() -> dict[str, str]:
    return render_package(build_ir(ROOT / "tests" / "fixtures" / "specs" / "pagination.yaml"))


def test_pagination_fixture_readme(markdown_snapshot: Any) -> None:
    assert _docs()["README.md"] == markdown_snapshot


def test_pagination_fixture_api_md(markdown_snapshot: Any) -> None:
    assert _docs()["docs/api.md"] == markdown_snapshot
