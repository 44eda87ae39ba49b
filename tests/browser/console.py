"""The try-it console of one operation, driven through the hook contract of the HTML reference (the data-try
attributes), as a reader would: open the deep link, fill the fields, press Send, read the answer."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from generator.ir import model as m
from generator.render.docs import op_anchor
from generator.render.docs.text import as_text
from tests.browser.oracle import KEY, server_path, setting_values
from tests.browser.trials import Trial

STATUS = re.compile(r"^\s*([1-5]\d\d)\b")


def client_scheme(api: m.Api) -> str:
    """The security scheme the generated client sends its API key with (its `components` key)."""
    kinds = {"bearer": ("bearer", "oauth2", "openid"), "basic": ("basic",), "header": ("api_key",)}
    wanted = kinds.get(api.client_auth.kind, ("api_key",))
    ordered = sorted(api.auth, key=lambda a: a.name not in api.security)
    return next(a.name for a in ordered if a.kind in wanted)


class Console:
    def __init__(self, page: Page, op: m.Operation) -> None:
        self.page = page
        self.section = page.locator(f'[id="{op_anchor(op.id)}"]')

    def visit(self, deep_link: str) -> Console:
        """The operation's deep link, as a reader arrives at it (the console not opened yet)."""
        self.page.goto(deep_link)
        expect(self.section).to_be_attached()
        return self

    def open(self, deep_link: str | None = None) -> Console:
        """The console at the deep link (or on the page already shown): its toggle pressed, if it has one."""
        if deep_link is not None:
            self.visit(deep_link)
        toggle = self.section.locator('[data-try="open"]')
        if toggle.count():
            toggle.first.click()
        return self

    def control(self, selector: str) -> Locator:
        """The operation's own control if its section has one, else the page's visible one (shared)."""
        inside = self.section.locator(selector)
        if inside.count():
            return inside.first
        return self.page.locator(selector).filter(visible=True).first

    def fill(self, selector: str, value: str) -> None:
        control = self.control(selector)
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)

    def fill_trial(self, api: m.Api, trial: Trial, server: str, upload: Path) -> None:
        """Server, credentials and settings, then the trial's parameters, body and files."""
        self.fill('[data-try="server"]', server + server_path(api, trial.op))
        self.fill(f'[data-try-auth="{client_scheme(api)}"]', KEY)
        for name, value in setting_values(api).items():
            self.fill(f'[data-try-auth="{name}"]', value)
        for arg, value in trial.where("path", "query", "header"):
            self.fill(f'[data-try-param="{arg.name.wire}"][data-in="{arg.location}"]', as_text(value))
        for arg, value in trial.where("form_field"):
            self.fill(f'[data-try-param="{arg.name.wire}"][data-in="form"]', as_text(value))
        body = trial.body_text()
        if body is not None:
            self.fill('[data-try="body"]', body)
        for arg in trial.files:
            self.control(f'[data-try-file="{arg.name.wire}"]').set_input_files(str(upload))

    def send(self, server: str) -> str:
        """Press Send, wait for the server's answer to reach the page, and return the status it shows."""
        with self.page.expect_response(lambda r: r.url.startswith(server) and r.request.method != "OPTIONS"):
            self.control('[data-try="send"]').click()
        return self.status()

    def status(self) -> str:
        """The status code shown (a reason phrase after it, "200 OK", is allowed)."""
        status = self.control('[data-try="status"]')
        expect(status).to_have_text(STATUS)
        return STATUS.findall(status.inner_text())[0]

    def wait_for_json(self, what: str, value: object) -> None:
        """Wait until `what` shows the JSON `value` (however it is indented, wherever in the text)."""
        compact = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        expect(self.control(f'[data-try="{what}"]')).to_have_text(
            re.compile(r"\s*".join(re.escape(c) for c in compact))
        )

    def shown(self, what: str) -> str:
        return self.control(f'[data-try="{what}"]').inner_text()
