"""axe-core from npm (pinned, fetched once into .cache/npm by `make`'s set-up), injected into a page.

`python -m tests.browser.axe` fetches it: the Makefile's set-up runs that, so a fresh machine has it offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.support.npm import npm_file

AXE_CORE = ("axe-core", "4.14.1", "axe.min.js")
FAILING_IMPACTS = ("serious", "critical")


def axe_script() -> Path:
    return npm_file(*AXE_CORE)


def serious_violations(page: Page) -> list[str]:
    """The serious and critical axe violations of the page as shown now, one line each (rule, help, where)."""
    page.add_script_tag(path=str(axe_script()))
    result: dict[str, Any] = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']}; at {', '.join(str(n['target']) for n in v['nodes'][:5])}"
        for v in result["violations"]
        if v["impact"] in FAILING_IMPACTS
    ]


if __name__ == "__main__":
    axe_script()
