"""`gen pull`: fetch a vendor's spec from the `[source] url` of its gen.toml over HTTP(S), and put it in
place only once it loads and parses like any spec."""

from __future__ import annotations

import json
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from .config import load_config
from .errors import SpecError, pointer
from .load import read_data
from .pipeline import SPEC_NAMES, build_ir, vendor
from .write import generator_version, staged_file


def pull(specs: Path, name: str, timeout: float) -> tuple[Path, str, bool]:
    """Update `specs/<name>/openapi.yaml` (or .yml, .json) from its source: the file, the URL, and whether
    the file changed."""
    target, config, url = pull_source(specs, name)
    changed = replace_spec(target, config, url, fetch(url, timeout))
    return target, url, changed


def pull_source(specs: Path, name: str) -> tuple[Path, Path, str]:
    """The spec file to replace, the gen.toml naming its source, and the source's URL."""
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


def fetch(url: str, timeout: float) -> str:
    """The document at `url` as text; any failure is bad input naming the URL."""
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


def replace_spec(target: Path, config: Path, url: str, text: str) -> bool:
    """Validate `text` and atomically put it at `target` (as YAML or JSON, like the file it replaces)."""
    import yaml  # loads only when the document must change form

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
    with staged_file(target, text) as staged:
        try:
            build_ir(staged, config)
        except SpecError as exc:
            raise SpecError(exc.message, file=url, at=exc.at) from None
        staged.replace(target)
    return True
