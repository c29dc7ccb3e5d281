"""Bytes Chromium fetches (compressed, as served) for the home page and for one search."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.site.serve import serve_site

from .synthetic import VOCABULARY

CHROMIUM = "/usr/bin/chromium"
# A word of middling frequency in the synthetic abstracts (rank ~1000 of a Zipf vocabulary, in a
# few % of papers), as a real query names a method or an object, not "model".
QUERY = VOCABULARY[1000]
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass(frozen=True)
class Transfer:
    home_bytes: int
    home_requests: int
    search_bytes: int
    search_requests: int
    search_results: int


def measure_transfer(output: Path, site_path: str = "/", query: str = QUERY) -> Transfer:
    with tempfile.TemporaryDirectory() as root:
        # served where the site was built for (publishconf: site.url's path, as GitHub Pages)
        mount = Path(root, *site_path.strip("/").split("/")) if site_path.strip("/") else None
        if mount is not None:
            mount.parent.mkdir(parents=True, exist_ok=True)
            mount.symlink_to(output.resolve())
        with serve_site(Path(root) if mount else output) as url:
            return _measure(url + site_path.rstrip("/") + "/", query)


def _measure(home: str, query: str) -> Transfer:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_context().new_page()
        fetched: list[int] = []
        page.on("requestfinished", lambda request: fetched.append(_bytes(request)))
        page.goto(home)
        page.wait_for_load_state("networkidle")
        home = list(fetched)
        fetched.clear()
        page.locator("#search-input").click()  # loads search.js and the newest shards
        page.keyboard.type(query)
        page.locator(".search-results .card").first.wait_for(timeout=180_000)
        page.wait_for_load_state("networkidle")
        results = _result_count(page.locator(".search-status").inner_text())
        search = list(fetched)
        browser.close()
    return Transfer(sum(home), len(home), sum(search), len(search), results)


def _result_count(status: str) -> int:
    """All results of the first query ("1,234 results for …"), not only the cards shown."""
    found = re.match(r"([\d,]+) results?", status)
    return int(found.group(1).replace(",", "")) if found else 0


def _bytes(request) -> int:  # noqa: ANN001 - a Playwright Request
    """Bytes on the wire: headers plus the (compressed) body."""
    sizes = request.sizes()
    return sizes["responseBodySize"] + sizes["responseHeadersSize"]
