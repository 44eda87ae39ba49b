"""The generated reference of a vendor as the tests meet it: where it is, its site map (crawled once per
session in the browser), and what the IR and docs/api.md say it must contain."""

from __future__ import annotations

import re
from functools import cache

from playwright.sync_api import Page

from generator.ir import model as m
from generator.ir.model import all_operations
from generator.render.docs import documented, op_anchor
from tests.browser.crawl import SiteMap, crawl
from tests.browser.sites import GENERATED

_MODEL_ANCHOR = re.compile(r'<a id="(model-[^"]+)"></a>')
_maps: dict[str, SiteMap] = {}


def index_url(site: str, vendor: str) -> str:
    return f"{site}/{vendor}/docs/reference/index.html"


def site_map(page: Page, site: str, vendor: str) -> SiteMap:
    """The vendor's site as linked from its index.html, crawled on first use."""
    url = index_url(site, vendor)
    if url not in _maps:
        _maps[url] = crawl(page, url)
    return _maps[url]


def operations(api: m.Api) -> dict[str, m.Operation]:
    """Anchor -> operation, for every operation docs/api.md documents."""
    return {op_anchor(op.id): op for op in all_operations(api) if documented(op)}


@cache
def model_anchors(vendor: str) -> frozenset[str]:
    """The `model-...` anchors of docs/api.md."""
    text = (GENERATED / vendor / "docs" / "api.md").read_text(encoding="utf-8")
    return frozenset(_MODEL_ANCHOR.findall(text))
