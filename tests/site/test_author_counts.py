"""The chip of an author the radar does not watch says how many papers the archive holds by
them, counted as the radar matches names, from one bucket of author-counts/ fetched only then."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sitedata import BuiltSite

from pipeline.archive import iter_archive
from pipeline.names import same_author
from pipeline.site.author_index import archive_count, author_buckets
from pipeline.site.id_index import fnv1a

UNWATCHED = "Nicholas D. Lane"  # the seed day's co-author; "N. Lane" on sitedata.ZCAO


def papers_by(built_site: BuiltSite, name: str) -> list[str]:
    return sorted(
        paper.paper_id
        for paper in iter_archive(built_site.content)
        if any(same_author(name, author) for author in paper.authors)
    )


def test_an_unwatched_authors_chip_counts_the_archive(page, built_site: BuiltSite) -> None:  # noqa: ANN001
    papers = papers_by(built_site, UNWATCHED)
    # FoMoE and Photon (seed day), and the bioRxiv paper that writes him "N. Lane"
    assert papers == ["arxiv:2411.02908", "arxiv:2606.19025", "doi:10.1101/2026.06.10.598765"]
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if "/author-counts/" in url]  # not before it is asked
    page.locator("#cards a.author", has_text=UNWATCHED).first.click()
    shown = page.locator("#cards .card:visible").count()
    total = page.locator("#cards .card").count()
    note = page.locator("#chips .chip-note")
    expect(note).to_have_text(
        f"{shown} of {total} papers on this page · {len(papers)} papers in the archive · "
        f"search the archive for {UNWATCHED} →"
    )
    link = note.locator("a")
    assert link.get_attribute("href").endswith("/search/?q=Nicholas+D.+Lane")
    fetched = [url.split("/author-counts/")[1] for url in requested if "/author-counts/" in url]
    assert fetched[0] == "index.json" and len(fetched) == 2
    assert re.fullmatch(r"[0-9a-f]{2}\.json", fetched[1])


def test_a_watched_authors_chip_still_links_their_page(page) -> None:  # noqa: ANN001
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/")
    page.locator(".watched a", has_text="Zeyu Cao").click()
    expect(page.locator("#chips .chip-note")).to_contain_text("in the archive →")
    assert not [url for url in requested if "/author-counts/" in url]


def test_without_javascript_there_is_no_chip_and_no_index_fetch(
    browser, built_site: BuiltSite
) -> None:  # noqa: ANN001
    context = browser.new_context(base_url=built_site.url, java_script_enabled=False)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/")
    assert page.locator("#chips").inner_text() == ""
    card = page.locator("#cards .card", has_text="FoMoE")
    assert card.locator("span.author", has_text=UNWATCHED).count() == 1  # text, as before
    assert not [url for url in requested if "/author-counts/" in url]
    context.close()


BYLINES = [
    ("Zeyu Cao", "Z. Cao", "Wei Cao"),  # two spellings of one author (and another Cao)
    ("Z. Cao", "Zhang Cao"),
    ("Cao, Zéyu",),
    ("Z. X. Cao", "Z. Y. Cao"),
    ("Wei Cao",),
]
NAMES = ["Zeyu Cao", "Z. Cao", "Zhang Cao", "Wei Cao", "Z. Y. Cao", "Cao", "Yan Cao", "Ada Lane"]


def test_the_script_counts_as_the_python_index_does(page) -> None:  # noqa: ANN001
    """site.js's countInBucket and buckets.js's hash against author_index on the same bylines."""
    count, buckets = author_buckets(BYLINES)
    page.goto("/")
    script = page.locator("script[type=module]").get_attribute("src")
    counted = page.evaluate(
        """async ([script, bucket, names]) => {
          const site = await import(new URL(script, location.href));
          const buckets = await import(new URL("buckets.js", new URL(script, location.href)));
          return names.map((name) => [site.countInBucket(bucket, name),
            buckets.fnv1a(site.normaliseAuthor(name)[0])]);
        }""",
        [script, buckets[0], NAMES],
    )
    expected = [[archive_count(count, buckets, name), fnv1a("cao")] for name in NAMES]
    expected[-1][1] = fnv1a("lane")
    assert counted == expected
    # Zeyu: papers 0-3 (an initial agrees: "Z. X." too); Z.: the same; Zhang: 0, 1, 3; Wei: 0, 4;
    # Z. Y.: 0-3 (on 3 as itself). "Cao" alone agrees with no one (the radar wants a given
    # name on both sides); no Yan Cao, no Lane at all.
    assert [c for c, _ in counted] == [4, 4, 3, 2, 4, 0, 0, 0]
