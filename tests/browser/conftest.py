"""Fixtures of the browser tests: one headless Debian Chromium per session, the generated references on a
static server, and a guarded page (its requests and console errors; a screenshot when a test fails)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.chromium import launch
from tests.browser.guard import PageGuard
from tests.browser.sites import GENERATED, static_server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One browser per test module: Playwright's sync API keeps an event loop running in this thread while
    it lives, which the async tests of later modules (anyio, asyncio.run) cannot run beside."""
    with sync_playwright() as playwright:
        browser = launch(playwright.chromium)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def generated_site() -> Iterator[str]:
    """The base URL of generated/ on a static server: `<url>/<vendor>/docs/reference/index.html`."""
    with static_server(GENERATED) as url:
        yield url


@pytest.fixture
def guard() -> PageGuard:
    return PageGuard()


@pytest.fixture
def page(browser: Browser, guard: PageGuard, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    guard.watch(page)
    request.node.browser_page = page
    yield page
    context.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where a test saves its screenshots (pytest's tmp dir; the paths are printed in the report)."""
    folder = tmp_path / "screenshots"
    folder.mkdir()
    return folder


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """On a failed test with a page: a full-page screenshot, attached to the report by its path."""
    outcome = yield
    report = outcome.get_result()
    page = getattr(item, "browser_page", None)
    if report.when == "call" and report.failed and page is not None and not page.is_closed():
        folder = Path(str(item.config._tmp_path_factory.mktemp("failed")))  # type: ignore[attr-defined]
        path = folder / f"{item.name[:80]}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
            report.sections.append(("screenshot", str(path)))
        except Exception as exc:  # a crashed page cannot be shot; say so instead
            report.sections.append(("screenshot", f"not taken: {exc}"))
