"""A spec as it was committed at a git ref, for `gen diff --against`: read with `git show`, staged with
the gen.toml of the same ref in a temporary folder, and parsed like any spec."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import SpecError
from .pipeline import build_ir

if TYPE_CHECKING:
    from .ir.model import Api


def git_show(ref: str, path: Path) -> str | None:
    """`path` as committed at `ref` (None when it is not there); a bad ref or no git is bad input."""
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


def ir_at_ref(ref: str, spec: Path, config: Path | None) -> Api:
    """The IR of `spec` (and its gen.toml) as they were at git `ref`."""
    text = git_show(ref, spec)
    if text is None:
        raise SpecError(f"the file does not exist at {ref}", file=str(spec))
    old_config = git_show(ref, config) if config is not None else None
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
