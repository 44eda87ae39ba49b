"""The HTML reference of the largest vendor: its size on disk, and the time to its first interactive page
in headless Chromium (Debian's, as the browser tests use it), as ratios to plain baselines."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.browser.chromium import launch
from tests.browser.sites import GENERATED, reference_dir, static_server

BLANK = "blank.html"


def largest_vendor() -> str:
    """The vendor with the most operations in its docs/api.md."""
    counts = {
        p.parent.parent.name: p.read_text().count('<a id="op-') for p in GENERATED.glob("*/docs/api.md")
    }
    return max(counts, key=lambda vendor: counts[vendor])


def size_kib(folder: Path) -> tuple[float, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1024, len(files)


def seconds_to_interactive(page: Page, url: str, ready: Callable[[Page], None]) -> float:
    """Wall time from navigation to the page being usable: loaded, and `ready` passed."""
    page.goto("about:blank")
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    ready(page)
    return time.perf_counter() - start


def _searchable(page: Page) -> None:
    page.locator("[data-search]").wait_for(state="visible")


def bench_site(runs: int, line: Callable[..., None], tmp: Path) -> None:
    vendor = largest_vendor()
    folder = reference_dir(vendor)
    print(f"HTML reference of {vendor}, the largest vendor (median of {runs})")
    if not (folder / "index.html").is_file():
        line("reference", "missing", f"no {folder.relative_to(GENERATED.parent)}/index.html: run make gen")
        return
    kib, files = size_kib(folder)
    api_kib = (GENERATED / vendor / "docs" / "api.md").stat().st_size / 1024
    line("site size", f"{kib:.0f} KiB", f"{files} files; {kib / api_kib:.2f}x its docs/api.md")
    (tmp / BLANK).write_text("<!doctype html><title>blank</title><p>blank</p>", encoding="utf-8")
    with sync_playwright() as playwright, static_server(GENERATED) as site, static_server(tmp) as blank:
        browser = launch(playwright.chromium)
        page = browser.new_page()
        index = f"{site}/{vendor}/docs/reference/index.html"
        seconds, baseline = [], []
        for _ in range(runs):
            seconds.append(seconds_to_interactive(page, index, _searchable))
            baseline.append(seconds_to_interactive(page, f"{blank}/{BLANK}", lambda p: None))
        browser.close()
    ours, empty = statistics.median(seconds), statistics.median(baseline)
    line(
        "first interactive page (index.html, search usable)",
        f"{ours * 1000:.0f} ms",
        f"{ours / empty:.2f}x an empty page",
    )
    line("empty page from the same server", f"{empty * 1000:.0f} ms")
