"""Public documents that tests and benchmarks need, fetched from the npm registry (never committed).

Failures raise NpmFetchError naming the fix: a missing tool is an error, never a silent skip.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CACHE = ROOT / ".cache" / "npm"


class NpmFetchError(RuntimeError):
    """npm is missing, or the package or file could not be fetched."""


def _extract(package: str, version: str, prefix: str, target: Path) -> None:
    """Download `package@version` with `npm pack` and unpack the members under `prefix` into `target`."""
    npm = shutil.which("npm")
    if npm is None:
        raise NpmFetchError(
            "npm is needed to fetch public OpenAPI documents: install Node.js (apt-get install nodejs npm)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [npm, "pack", f"{package}@{version}", "--silent"],
            cwd=tmp,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        if result.returncode != 0:
            raise NpmFetchError(f"npm pack {package}@{version} failed: {result.stderr.strip()[-500:]}")
        archive = Path(tmp) / result.stdout.strip().splitlines()[-1]
        staging = Path(tempfile.mkdtemp(dir=target.parent))
        with tarfile.open(archive) as tar:
            members = [m for m in tar.getmembers() if m.isfile() and m.name.startswith(f"package/{prefix}")]
            if not members:
                raise NpmFetchError(f"{package}@{version} has no {prefix}")
            for member in members:
                member.name = member.name.removeprefix("package/")
            tar.extractall(staging, members=members, filter="data")
        staging.rename(target)


def npm_tree(package: str, version: str, prefix: str = "") -> Path:
    """A folder holding the package's files under `prefix` (all files when empty), downloaded once."""
    safe = package.replace("/", "__").replace("@", "")
    target = CACHE / f"{safe}-{version}-{prefix.replace('/', '_') or 'all'}"
    if not target.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        _extract(package, version, prefix, target)
    return target


def npm_file(package: str, version: str, member: str) -> Path:
    """The file `member` (a path inside the package) of `package@version`, downloaded once and cached."""
    return npm_tree(package, version, member) / member
