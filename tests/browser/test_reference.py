"""The generated HTML reference of each vendor (generated/<vendor>/docs/reference), in headless Chromium,
through the hook contract of issue 15 (deliverable 4): every operation and model is there and reachable,
search finds them, and the try-it console sends what the generated client sends (checked on the simulator)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from generator.ir import model as m
from generator.render.docs import op_anchor
from tests.browser.axe import serious_violations
from tests.browser.console import Console
from tests.browser.crawl import crawl
from tests.browser.guard import PageGuard
from tests.browser.oracle import KEY, client_call, essentials, setting_values
from tests.browser.reference import index_url, model_anchors, operations, site_map
from tests.browser.sites import reference_dir
from tests.browser.trials import KINDS, Trial, pick
from tests.conftest import VENDORS
from tests.docs.blocks import source_dir
from tests.docs.conftest import vendor_api
from tests.docs.server import FAILURE_BODY, serving

TRIALS = [
    (vendor, kind) for vendor in VENDORS for kind in KINDS if pick(vendor_api(vendor), kind) is not None
]


def trial_of(vendor: str, kind: str | None = None) -> Trial:
    """The vendor's `kind` trial; by default its first (the one the page-wide checks send)."""
    trial = pick(vendor_api(vendor), kind or next(k for v, k in TRIALS if v == vendor))
    assert trial is not None
    return trial


def deep_link_of(page: Page, site: str, vendor: str, trial: Trial) -> str:
    return site_map(page, site, vendor).linked("op-")[op_anchor(trial.op.id)]


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_operation_and_model_is_reachable_from_index(
    vendor: str, page: Page, guard: PageGuard, generated_site: str
) -> None:
    api = vendor_api(vendor)
    site = site_map(page, generated_site, vendor)
    ops = operations(api)
    assert sorted(set(ops) - set(site.linked("op-"))) == [], "operations not linked from index.html"
    assert sorted(model_anchors(vendor) - site.present("model-")) == [], "models without their id"
    wrong = {
        anchor: site.hooks.get(anchor)
        for anchor, op in ops.items()
        if site.hooks.get(anchor)
        != (op.method, op.path, f"client.{'.'.join((*op.resource, op.name.python))}")
    }
    assert wrong == {}, "sections without data-method / data-path / data-operation as the contract says"
    assert guard.off_host == [] and guard.console_errors == []


def _search(page: Page, words: str, fragment: str) -> None:
    """Typing `words` shows a link to `fragment` in the search results (the element the box's aria-controls
    names; the whole page if it names none), and typing nonsense shows none there."""
    box = page.locator("[data-search]")
    results_id = box.get_attribute("aria-controls")
    results = page.locator(f'[id="{results_id}"]') if results_id else page.locator("body")
    link = results.locator(f'a[href*="#{fragment}"]').filter(visible=True)
    if results_id:
        box.fill("qqq-no-such-name-qqq")
        expect(link).to_have_count(0)
    box.fill(words)
    expect(link.first).to_be_visible()


@pytest.mark.parametrize("vendor", VENDORS)
def test_search_finds_an_operation_and_a_model(vendor: str, page: Page, generated_site: str) -> None:
    api = vendor_api(vendor)
    page.goto(index_url(generated_site, vendor))
    op = next(op for op in operations(api).values() if op.summary and op.resource)
    _search(page, op.summary, op_anchor(op.id))
    model = api.models[len(api.models) // 2]
    _search(page, model.name, f"model-{model.name}")


def _answered(console: Console, answer: tuple[int, str, bytes]) -> None:
    """The page shows the simulator's body: the same JSON (pretty-printed or not), or each event's data."""
    _, content_type, payload = answer
    if content_type == "application/json" and payload:
        assert json.loads(console.shown("response")) == json.loads(payload)
    for event in payload.decode().split("\n\n") if content_type == "text/event-stream" else ():
        if event.startswith("data: "):
            console.wait_for_json("response", json.loads(event.removeprefix("data: ")))


def _no_credentials_kept(page: Page, guard: PageGuard) -> None:
    assert KEY not in page.url and all(KEY not in url for url in guard.requests)
    assert all(KEY not in c["value"] for c in page.context.cookies())
    assert KEY not in page.evaluate("() => JSON.stringify(Object.entries(localStorage))")


@pytest.mark.parametrize(("vendor", "kind"), TRIALS)
def test_the_console_sends_what_the_client_sends(
    vendor: str, kind: str, page: Page, guard: PageGuard, generated_site: str, tmp_path: Path, shots: Path
) -> None:
    api, trial = vendor_api(vendor), trial_of(vendor, kind)
    upload = tmp_path / "upload"
    upload.write_bytes(b"uploaded from the browser test\n")
    deep_link = deep_link_of(page, generated_site, vendor, trial)
    with serving(api) as (url, recorder):
        guard.api_servers.append(url)
        console = Console(page, trial.op).visit(deep_link)
        page.screenshot(path=str(shots / f"{vendor}-{kind}-operation.png"))
        console.open()
        console.fill_trial(api, trial, url, upload)
        recorder.failures = [trial.status] if trial.status else []
        status = console.send(url)
        from_page = recorder.take()
        recorder.failures = [trial.status] if trial.status else []
        client_call(api, vendor, trial, url, upload)
        from_client = recorder.take()
        console.control('[data-try="status"]').scroll_into_view_if_needed()
        page.screenshot(path=str(shots / f"{vendor}-{kind}-console.png"))
        answer = recorder.api.answer(trial.op, False)
    if trial.status is not None:
        answer = (trial.status, "application/json", FAILURE_BODY)
    assert [r.operation for r in from_page] == [trial.op.id]
    assert essentials(api, trial.op, from_page[0]) == essentials(api, trial.op, from_client[0])
    assert status == str(answer[0])
    assert url + from_page[0].path in console.shown("curl"), "the cURL sample shows the values entered"
    _answered(console, answer)
    _no_credentials_kept(page, guard)
    assert guard.off_host == [] and guard.console_errors == []


NOWHERE = "http://127.0.0.1:9"  # the discard port: nothing listens there


def _run_sample(
    api: m.Api, vendor: str, program: str, cwd: Path, language: str, *, stream: bool = False
) -> subprocess.CompletedProcess[str]:
    """A sample as a user runs it (Python, or cURL in bash): the API key and the settings in the
    environment. The hosts' variables point at a closed local port, so a sample that forgets the server
    typed in fails here instead of reaching the vendor. A stream's sample follows its stream as long as
    the server answers (the simulator answers every resume), so it is stopped after a while: what it
    sent is what counts."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(cwd), "PYTHONPATH": str(source_dir(vendor))}
    env |= {name: NOWHERE for name in (api.package.base_url_env, *(s.env for s in api.alt_servers)) if name}
    env |= {api.package.api_key_env: KEY} if api.package.api_key_env else {}
    env |= {s.env: setting_values(api)[s.name] for s in api.settings if s.env}
    command = [sys.executable, "-c", program] if language == "python" else ["bash", "-c", program + " -sS"]
    try:
        return subprocess.run(
            command,
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=10 if stream else 60,
            check=False,
        )
    except subprocess.TimeoutExpired as stopped:
        if not stream:
            raise
        return subprocess.CompletedProcess(stopped.cmd, -9, "", str(stopped.stderr or ""))


@pytest.mark.parametrize("sample", ["python", "curl"])
@pytest.mark.parametrize(("vendor", "kind"), TRIALS)
def test_the_live_samples_send_what_the_client_sends(
    vendor: str, kind: str, sample: str, page: Page, generated_site: str, tmp_path: Path
) -> None:
    """The console's Python and cURL samples, updated with the values entered, send the same request."""
    api, trial = vendor_api(vendor), trial_of(vendor, kind)
    upload = tmp_path / "upload"
    upload.write_bytes(b"uploaded from the browser test\n")
    with serving(api) as (url, recorder):
        console = Console(page, trial.op).open(deep_link_of(page, generated_site, vendor, trial))
        console.fill_trial(api, trial, url, upload)
        program = console.shown(sample)
        recorder.failures = [trial.status] if trial.status else []
        result = _run_sample(api, vendor, program, tmp_path, sample, stream=trial.op.stream is not None)
        from_sample = recorder.take()
        recorder.failures = [trial.status] if trial.status else []
        client_call(api, vendor, trial, url, upload)
        from_client = recorder.take()
    if trial.status is None and trial.op.stream is None:
        assert result.returncode == 0, f"{program}\n{result.stderr[-2000:]}"
    assert from_sample, f"the sample sent nothing to the server typed in:\n{program}\n{result.stderr[-2000:]}"
    assert essentials(api, trial.op, from_sample[0]) == essentials(api, trial.op, from_client[0]), program


def test_each_send_has_a_fresh_idempotency_key(page: Page, generated_site: str, tmp_path: Path) -> None:
    vendor = next(v for v, kind in TRIALS if kind == "idempotent")
    api, trial = vendor_api(vendor), trial_of(vendor, "idempotent")
    deep_link = deep_link_of(page, generated_site, vendor, trial)
    header = (trial.op.idempotency_header or "").lower()
    with serving(api) as (url, recorder):
        console = Console(page, trial.op).open(deep_link)
        console.fill_trial(api, trial, url, tmp_path / "upload")
        console.send(url)
        console.send(url)
        keys = [r.headers.get(header) for r in recorder.take()]
    assert len(keys) == 2 and all(keys) and keys[0] != keys[1], keys


@pytest.mark.parametrize("vendor", VENDORS)
def test_from_file_urls_with_no_console_error(
    vendor: str, page: Page, guard: PageGuard, tmp_path: Path
) -> None:
    api = vendor_api(vendor)
    trial = trial_of(vendor)
    index = (reference_dir(vendor) / "index.html").as_uri()
    with serving(api) as (url, recorder):
        console = Console(page, trial.op).open(crawl(page, index).linked("op-")[op_anchor(trial.op.id)])
        console.fill_trial(api, trial, url, tmp_path / "upload")
        recorder.failures = [trial.status] if trial.status else []
        console.send(url)
        sent = recorder.take()
    assert [r.operation for r in sent] == [trial.op.id]
    assert guard.off_host == [] and guard.console_errors == []
    assert all(u.startswith(("file://", url)) for u in guard.requests), guard.requests


@pytest.mark.parametrize("vendor", VENDORS)
def test_no_serious_accessibility_violation(
    vendor: str, page: Page, generated_site: str, tmp_path: Path
) -> None:
    api = vendor_api(vendor)
    page.goto(index_url(generated_site, vendor))
    assert serious_violations(page) == [], "index.html"
    trial = trial_of(vendor)
    deep_link = deep_link_of(page, generated_site, vendor, trial)
    with serving(api) as (url, _):
        console = Console(page, trial.op).open(deep_link)
        console.fill_trial(api, trial, url, tmp_path / "upload")
        console.send(url)
        assert serious_violations(page) == [], "an operation page with its console after a request"


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_console_works_from_the_keyboard(
    vendor: str, page: Page, generated_site: str, tmp_path: Path
) -> None:
    api = vendor_api(vendor)
    trial = trial_of(vendor)
    deep_link = deep_link_of(page, generated_site, vendor, trial)
    with serving(api) as (url, recorder):
        console = Console(page, trial.op).open(deep_link)
        console.fill_trial(api, trial, url, tmp_path / "upload")
        send = console.control('[data-try="send"]')
        console.control('[data-try="server"]').focus()
        for _ in range(200):
            if send.evaluate("e => e === document.activeElement"):
                break
            page.keyboard.press("Tab")
        assert send.evaluate("e => e === document.activeElement"), "Tab never reaches Send"
        with page.expect_response(lambda r: r.url.startswith(url) and r.request.method != "OPTIONS"):
            page.keyboard.press("Enter")
        sent = recorder.take()
    assert [r.operation for r in sent] == [trial.op.id]
