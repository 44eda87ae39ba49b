"""`make bench`: gen's speed and memory (and the HTML reference's size and first page), each figure a median
over several runs and a ratio to a peer or baseline measured in the same run on the same machine. Numbers,
not assertions: these machines are shared.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import server  # noqa: E402
from bench.site import bench_site  # noqa: E402
from tests.support.npm import npm_file  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PEER_VENV = ROOT / ".cache" / "bench" / "peer-venv"
PEER = "openapi-python-client==0.29.1"
GEN = [sys.executable, "-m", "generator"]


def measure(cmd: list[str], cwd: Path = ROOT, path: Path | None = None) -> dict[str, float]:
    """One run of `cmd` (`path`: a folder put first on PATH, as an activated virtual environment does)."""
    env = {**os.environ, "PATH": f"{path}{os.pathsep}{os.environ.get('PATH', '')}"} if path else None
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "measure.py"), *cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} failed: {result['stderr']}")
    return result


def median_of(
    cmd: list[str], runs: int = RUNS, before: Callable[[], None] | None = None, path: Path | None = None
) -> tuple[float, float]:
    """(median seconds, peak KiB) over `runs` runs."""
    seconds, peaks = [], []
    for _ in range(runs):
        if before is not None:
            before()
        result = measure(cmd, path=path)
        seconds.append(result["seconds"])
        peaks.append(result["peak_kib"])
    return statistics.median(seconds), max(peaks)


def line(label: str, value: str, note: str = "") -> None:
    print(f"  {label:<52} {value:>12}  {note}")


def peer_python() -> Path:
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(PEER_VENV)
        subprocess.run([python, "-m", "pip", "install", "--quiet", PEER], check=True, capture_output=True)
    return python


def bench_vendors(tmp: Path) -> None:
    print(f"four vendors (median of {RUNS})")
    # byte-compiled first, as pip does when it installs gen (and did when it installed the peer)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "generator")], check=True)
    out = tmp / "vendors"
    cold, _ = median_of([*GEN, "generate", "--force", "--out", str(out)])
    noop, _ = median_of([*GEN, "generate", "--out", str(out)])
    line("cold generation of all four", f"{cold:.2f} s", f"target < 2 s ({cold / 2:.2f}x of target)")
    line("no-op re-run", f"{noop:.3f} s", f"target < 0.3 s ({noop / 0.3:.2f}x of target)")


def bench_github(tmp: Path, spec: Path) -> None:
    print(f"GitHub REST description (median of {RUNS}), against {PEER}")
    ours_out, peer_out = tmp / "gh-gen", tmp / "gh-peer"
    ours, ours_peak = median_of(
        [*GEN, "generate", "--spec", str(spec), "--out", str(ours_out), "--package", "github_client"],
        before=lambda: shutil.rmtree(ours_out, ignore_errors=True),
    )
    peer_bin = peer_python().parent
    peer = [str(peer_bin / "openapi-python-client"), "generate", "--path", str(spec)]
    theirs, theirs_peak = median_of(  # its venv on PATH, as installed: it formats with ruff as gen does
        [*peer, "--output-path", str(peer_out), "--overwrite"],
        before=lambda: shutil.rmtree(peer_out, ignore_errors=True),
        path=peer_bin,
    )
    line("gen", f"{ours:.2f} s", f"{ours / theirs:.2f}x the peer (target <= 0.25x)")
    line("openapi-python-client", f"{theirs:.2f} s")
    line(
        "peak memory (all processes), gen",
        f"{ours_peak / 1024:.0f} MiB",
        f"{ours_peak / theirs_peak:.2f}x the peer",
    )
    line("peak memory (all processes), openapi-python-client", f"{theirs_peak / 1024:.0f} MiB")
    bench_import(ours_out / "src")


def import_seconds(statements: dict[str, str], path: Path) -> dict[str, float]:
    """Median seconds of each import statement in a fresh process (`path` on PYTHONPATH), the statements
    taking turns round after round so that load drift hits all of them alike."""
    env = {**os.environ, "PYTHONPATH": str(path)}
    runs: dict[str, list[float]] = {label: [] for label in statements}
    for _ in range(RUNS * 2):
        for label, statement in statements.items():
            code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            runs[label].append(float(out.stdout))
    return {label: statistics.median(seconds) for label, seconds in runs.items()}


def bench_import(src: Path) -> None:
    print(f"import time (median of {RUNS * 2} fresh processes, taking turns)")
    # byte-compiled first, as pip does when it installs a wheel (httpx and pydantic are, too)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=True)
    seconds = import_seconds(
        {"package": "import github_client", "httpx": "import httpx", "baseline": "import httpx, pydantic"},
        src,
    )
    package, httpx_only, baseline = seconds["package"], seconds["httpx"], seconds["baseline"]
    line("import github_client", f"{package * 1000:.0f} ms", f"{package / httpx_only:.2f}x httpx alone")
    line("import httpx", f"{httpx_only * 1000:.0f} ms")
    line(
        "import httpx, pydantic",
        f"{baseline * 1000:.0f} ms",
        f"package - this = {(package - baseline) * 1000:.0f} ms (target <= 100 ms)",
    )


def per_call(ours: Callable[[], object], theirs: Callable[[], object], calls: int) -> tuple[float, float]:
    """Median seconds per call of each over `calls` calls a round, `RUNS` rounds.

    Each round is cut into short blocks that alternate (which goes first alternates too), so that a burst
    of load on this shared machine hits both alike; the median over all blocks leaves the bursts out.
    """
    ours(), theirs()
    block = max(1, calls // 10)
    samples: tuple[list[float], list[float]] = ([], [])
    for turn in range(RUNS * (calls // block)):
        pairs = [(ours, samples[0]), (theirs, samples[1])]
        for fn, times in pairs if turn % 2 == 0 else reversed(pairs):
            start = time.perf_counter()
            for _ in range(block):
                fn()
            times.append((time.perf_counter() - start) / block)
    return statistics.median(samples[0]), statistics.median(samples[1])


def bench_calls(tmp: Path) -> None:
    import httpx
    from pydantic import TypeAdapter

    out = tmp / "bench-client"
    subprocess.run(
        [
            *GEN,
            "generate",
            "--spec",
            str(ROOT / "bench" / "bench_spec.yaml"),
            "--out",
            str(out),
            "--package",
            "bench_client",
        ],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(out / "src"))
    import bench_client

    httpd, url = server.start()
    try:
        client = bench_client.Bench(api_key="k", base_url=url)
        raw = httpx.Client()

        def raw_list() -> object:
            return raw.get(f"{url}/items").json()

        def raw_stream() -> int:
            count = 0
            with raw.stream("GET", f"{url}/events") as response:
                for text in response.iter_lines():
                    if text.startswith("data: "):
                        json.loads(text[6:])
                        count += 1
            return count

        def typed_stream() -> int:
            return sum(1 for _ in client.events.stream())

        print(f"per call on loopback ({RUNS} rounds in alternating blocks, medians)")
        ours, theirs = per_call(client.items.list, raw_list, 200)
        line(
            "JSON GET of 100 items, generated client",
            f"{ours * 1e6:.0f} us",
            f"{ours / theirs:.2f}x raw httpx (target <= 1.3x)",
        )
        line("JSON GET of 100 items, raw httpx + json", f"{theirs * 1e6:.0f} us")
        from bench_client.models import Order

        orders = TypeAdapter(list[Order])

        def raw_orders() -> object:
            return orders.validate_json(raw.get(f"{url}/orders").content)

        ours, theirs = per_call(client.orders.list, raw_orders, 200)
        line(
            "JSON GET of 100 orders (14 fields, nested, datetimes), generated client",
            f"{ours * 1e6:.0f} us",
            f"{ours / theirs:.2f}x raw httpx + the same validation (target <= 1.05x)",
        )
        line("JSON GET of 100 orders, raw httpx + TypeAdapter.validate_json", f"{theirs * 1e6:.0f} us")
        ours, theirs = per_call(typed_stream, raw_stream, 3)
        line(
            "SSE of 10,000 events, generated client",
            f"{ours * 1000:.0f} ms",
            f"{ours / theirs:.2f}x raw httpx (target <= 1.3x)",
        )
        line("SSE of 10,000 events, raw httpx + json", f"{theirs * 1000:.0f} ms")
    finally:
        httpd.shutdown()


def main() -> None:
    spec = npm_file("@octokit/openapi", "23.0.2", "generated/api.github.com.json")
    with tempfile.TemporaryDirectory(prefix="gen-bench-") as tmp:
        bench_vendors(Path(tmp))
        bench_github(Path(tmp), spec)
        bench_calls(Path(tmp))
        bench_site(RUNS, line, Path(tmp))


if __name__ == "__main__":
    main()
