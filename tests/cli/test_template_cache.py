"""Compiled templates are kept between runs, and a missing or unusable cache only costs time."""

from __future__ import annotations

from pathlib import Path

from generator.write import read_tree
from tests.conftest import run_gen


def test_the_cache_fills_and_changes_nothing_in_the_output(tmp_path: Path) -> None:
    cache, blocked = tmp_path / "cache", tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go", encoding="utf-8")
    outputs = {}
    for name, folder in (("cold", cache), ("warm", cache), ("none", blocked)):
        result = run_gen(
            "generate", "autx", "--out", str(tmp_path / name), env={"GEN_CACHE_DIR": str(folder)}
        )
        assert result.returncode == 0, result.stderr
        outputs[name] = read_tree(tmp_path / name)
    assert list((cache / "jinja").iterdir())
    assert outputs["cold"] == outputs["warm"] == outputs["none"]
