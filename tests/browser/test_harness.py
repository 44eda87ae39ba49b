"""The harness tests itself on a small hand-written site that follows the hook contract (fixtures/contract):
the crawl, the console driver and the oracle agree on a request; the guard and axe catch what they must."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.axe import serious_violations
from tests.browser.console import Console
from tests.browser.crawl import crawl
from tests.browser.guard import PageGuard
from tests.browser.oracle import client_call, essentials
from tests.browser.sites import static_server
from tests.browser.trials import pick
from tests.docs.conftest import vendor_api
from tests.docs.server import serving

FIXTURE = Path(__file__).parent / "fixtures" / "contract"


@pytest.fixture(scope="module")
def fixture_site() -> Iterator[str]:
    with static_server(FIXTURE) as url:
        yield url


def test_the_crawl_finds_linked_operations_and_present_models(page: Page, fixture_site: str) -> None:
    site = crawl(page, f"{fixture_site}/index.html")
    assert site.linked("op-") == {
        "op-credentials-get_usage": f"{fixture_site}/credentials.html#op-credentials-get_usage"
    }
    assert site.present("model-") == {"model-CredentialUsage"}


def test_the_console_driver_sends_what_the_client_sends(
    page: Page, guard: PageGuard, fixture_site: str, tmp_path: Path
) -> None:
    api = vendor_api("modulex")
    trial = pick(api, "path_query")
    assert trial is not None and trial.op.id == "credentials.get_usage", "the fixture is of this operation"
    upload = tmp_path / "upload"
    with serving(api) as (url, recorder):
        console = Console(page, trial.op).open(f"{fixture_site}/credentials.html#op-credentials-get_usage")
        console.fill_trial(api, trial, url, upload)
        assert console.send(url) == "200"
        from_page = recorder.take()
        client_call(api, "modulex", trial, url, upload)
        from_client = recorder.take()
    assert [r.operation for r in from_page] == ["credentials.get_usage"]
    assert essentials(api, trial.op, from_page[0]) == essentials(api, trial.op, from_client[0])
    assert "x-organization-id" in from_page[0].headers and from_page[0].query == {"start_date": ["x y&z"]}
    assert console.shown("response").startswith("{")
    assert not guard.off_host and not guard.console_errors


def test_the_guard_records_off_host_requests_and_console_errors(
    page: Page, guard: PageGuard, fixture_site: str
) -> None:
    page.goto(f"{fixture_site}/leaky.html")
    assert guard.off_host == ["http://example.invalid/pixel.png"]
    assert guard.console_errors[0].startswith("a console error the guard records")
    assert all(u.startswith(fixture_site) for u in guard.requests if u not in guard.off_host)


def test_axe_passes_the_fixture_and_catches_an_image_without_text(page: Page, fixture_site: str) -> None:
    page.goto(f"{fixture_site}/credentials.html")
    assert serious_violations(page) == []
    page.goto(f"{fixture_site}/leaky.html")
    assert [v.split(" ")[0] for v in serious_violations(page)] == ["image-alt"]


def test_the_guard_takes_an_api_servers_error_status_as_an_answer_not_a_fault(
    page: Page, guard: PageGuard, fixture_site: str, tmp_path: Path
) -> None:
    api = vendor_api("modulex")
    trial = pick(api, "path_query")
    assert trial is not None
    with serving(api) as (url, recorder):
        console = Console(page, trial.op).open(f"{fixture_site}/credentials.html#op-credentials-get_usage")
        console.fill_trial(api, trial, url, tmp_path / "upload")
        recorder.failures = [404]
        assert console.send(url) == "404"
        assert len(guard.console_errors) == 1
        assert guard.console_errors[0].startswith(
            "Failed to load resource: the server responded with a status"
        )
        guard.console_errors.clear()
        guard.api_servers.append(url)
        recorder.failures = [404]
        page.evaluate("() => document.querySelector('[data-try=\"status\"]').textContent = ''")
        assert console.send(url) == "404"
    assert guard.console_errors == []
