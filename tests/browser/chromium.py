"""Debian's Chromium, headless, as the browser tests and `make bench` launch it (never Playwright's own)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, BrowserType

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def launch(chromium: BrowserType) -> Browser:
    assert CHROMIUM.exists(), "Debian's chromium is missing: `make` installs it (apt-get install chromium)"
    return chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
