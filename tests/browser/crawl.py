"""A reference site as a reader reaches it: the pages linked from index.html (in the browser, so a page
built by its script counts as shown), the ids on each page, and the links into them."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urldefrag

from playwright.sync_api import Page

MAX_PAGES = 400
_HOOKS = "els => els.map(e => [e.id, e.dataset.method, e.dataset.path, e.dataset.operation])"


@dataclass
class SiteMap:
    ids: dict[str, set[str]] = field(default_factory=dict[str, set[str]])  # page URL -> ids on it
    links: set[tuple[str, str]] = field(default_factory=set[tuple[str, str]])  # (page URL, fragment)
    # operation id -> (data-method, data-path, data-operation) of its section
    hooks: dict[str, tuple[str, str, str]] = field(default_factory=dict[str, tuple[str, str, str]])

    def linked(self, prefix: str) -> dict[str, str]:
        """Fragment -> deep link, for the fragments starting with `prefix` linked to a page that has them."""
        return {
            fragment: f"{target}#{fragment}"
            for target, fragment in sorted(self.links)
            if fragment.startswith(prefix) and fragment in self.ids.get(target, set())
        }

    def present(self, prefix: str) -> set[str]:
        return {i for ids in self.ids.values() for i in ids if i.startswith(prefix)}


def crawl(page: Page, index: str) -> SiteMap:
    """Every page under index.html's folder reachable by links from it, breadth first."""
    root = index.rsplit("/", 1)[0] + "/"
    site, queue = SiteMap(), [index]
    while queue and len(site.ids) < MAX_PAGES:
        url = queue.pop(0)
        if url in site.ids:
            continue
        page.goto(url)
        site.ids[url] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        for anchor, method, path, operation in page.eval_on_selector_all("[id^='op-']", _HOOKS):
            site.hooks[anchor] = (method, path, operation)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            target, fragment = urldefrag(href)
            if not (target.startswith(root) and target.endswith(".html")):
                continue
            if fragment:
                site.links.add((target, fragment))
            if target not in site.ids:
                queue.append(target)
    return site
