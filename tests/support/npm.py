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


def npm_file(package: str, version: str, member: str) -> Path:
    """The file `member` (a path inside the package) of `package@version`, downloaded once and cached."""
    safe = package.replace("/", "__").replace("@", "")
    target = CACHE / f"{safe}-{version}" / member
    if target.is_file():
        return target
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
        with tarfile.open(archive) as tar:
            extracted = tar.extractfile(f"package/{member}")
            if extracted is None:
                raise NpmFetchError(f"{package}@{version} has no {member}")
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(target.suffix + ".part")
            partial.write_bytes(extracted.read())
            partial.replace(target)
    return target
