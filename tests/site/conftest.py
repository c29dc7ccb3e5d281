"""A whole site built once per test session: a real pipeline run over the recorded arXiv day,
a failing night, hand-made hostile papers, then Pelican + Pagefind; served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from replay import ReplayServer, Reply, point_pipeline_at, xml
from sitedata import (
    FEEDBACK,
    HOSTILE,
    OLDER,
    SITE_RADAR,
    ZCAO,
    BuiltSite,
    recorded_comment_paper,
)

from pipeline.__main__ import main
from pipeline.archive.store import store_papers
from pipeline.feedback import save_applied
from pipeline.site.build import BuildRecord, build_site, remember_build
from pipeline.site.serve import serve_site

REPO = Path(__file__).resolve().parents[2]
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CHROMIUM = "/usr/bin/chromium"


def _collect(content: Path, radar: Path) -> None:
    """Two nights through the real pipeline: the recorded seed day, then a night arXiv fails."""
    with ReplayServer() as server, pytest.MonkeyPatch.context() as env:
        point_pipeline_at(server, env)
        server.routes["/rss/cs.AI"] = xml("arxiv-rss/seed-day.xml")
        server.routes["/rss/cs.LG"] = Reply(200, b'<rss version="2.0"><channel/></rss>')
        server.routes["/api/query"] = xml("arxiv-api/id_0000.0000_s0_m100_8b51d9633a68.xml")
        args = ["run", "--radar", str(radar), "--content", str(content)]
        assert main([*args, "--date", "2026-06-18"]) == 0
        down = Reply(503, b"<html>Service Unavailable</html>", {"Retry-After": "0"})
        for route in ("/rss/cs.AI", "/rss/cs.LG", "/api/query"):
            server.routes[route] = down
        # a failing night; it still briefs 2026-06-17, whose hostile papers are already stored
        assert main([*args, "--date", "2026-06-19", "--rebrief", "2026-06-17"]) == 0


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    root = tmp_path_factory.mktemp("site")
    radar = root / "radar.yaml"
    radar.write_text(SITE_RADAR)
    content = root / "content"
    store_papers(content, [*HOSTILE, OLDER, ZCAO, recorded_comment_paper()])
    _collect(content, radar)
    save_applied(content, FEEDBACK)  # as `python -m pipeline.feedback apply` records it
    output = root / "output"
    # the night before's build, as the status page shows recent build times
    remember_build(root / "cache", BuildRecord("2026-06-18 06:00 UTC", 3, 1.25, 0.4))
    # Search as at archive scale, in miniature: a shard per month and a first query that
    # searches only the newest shard. July 2018 (the recorded API result) and May 2026 hold a
    # paper each, grouped in one older shard; June all the other pages, which a shard of one
    # page fewer than the site just holds (a bigger month would be cut by days).
    searched_pages = len(list(content.glob("papers/**/*.md"))) + len(
        list(content.glob("briefings/**/*.md"))
    )
    build_site(
        content,
        output,
        radar=radar,
        settings=REPO / "pelicanconf.py",
        cache=root / "cache",
        first_search_pages=1,
        shard_max_pages=searched_pages - 1,
    )
    with serve_site(output) as url:
        yield BuiltSite(content, output, url)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object, built_site: BuiltSite) -> Iterator[object]:
    """A fresh page that fails the test on any console error or uncaught exception."""
    context = browser.new_context(base_url=built_site.url)  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield page
    context.close()
    assert errors == [], f"console errors: {errors}"
