"""What a page does behind the reader's back: every request it makes (off-host ones are blocked) and every
console error or uncaught exception."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import ConsoleMessage, Error, Page, Route

LOCAL_SCHEMES = ("file", "data", "blob", "about")


def is_local(url: str) -> bool:
    """A URL the reference may load: its own files, or the simulator and file server on 127.0.0.1."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in ("http", "https") and parts.hostname == "127.0.0.1"


@dataclass
class PageGuard:
    requests: list[str] = field(default_factory=list[str])
    off_host: list[str] = field(default_factory=list[str])
    console_errors: list[str] = field(default_factory=list[str])
    # API servers whose error statuses are answers the page shows, not faults: Chromium logs each one as
    # "Failed to load resource" whatever the page does
    api_servers: list[str] = field(default_factory=list[str])

    def watch(self, page: Page) -> None:
        page.on("request", lambda request: self._request(request.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))
        page.route("**/*", self._route)

    def _request(self, url: str) -> None:
        self.requests.append(url)
        if not is_local(url):
            self.off_host.append(url)

    def _console(self, message: ConsoleMessage) -> None:
        url = message.location.get("url", "")
        answered = message.text.startswith("Failed to load resource: the server responded with a status")
        if message.type == "error" and not (answered and url.startswith(tuple(self.api_servers))):
            self.console_errors.append(f"{message.text} ({url})")

    @staticmethod
    def _route(route: Route) -> None:
        with suppress(Error):  # the page went away while the request was in flight
            route.continue_() if is_local(route.request.url) else route.abort("blockedbyclient")
