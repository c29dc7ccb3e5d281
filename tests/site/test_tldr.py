"""Every card and paper page of the built site shows the paper's TL;DR (made locally here: the
test site is built with no key), and a model's TL;DR stays text."""

from __future__ import annotations

import re

from sitedata import OLDER_TITLE, BuiltSite

LOOPED_TLDR = (
    "We resolve this by introducing Looped World Models (LoopWM), which are the first "
    "looped architectures for world modelling."
)


def cards(html: str) -> list[str]:
    return re.findall(r'<article class="card[^"]*".*?</article>', html, re.DOTALL)


def test_every_card_shows_a_tldr(built_site: BuiltSite) -> None:
    pages = [
        "index.html",
        "topics/world-models/index.html",
        "sources/arxiv-cs-ai/index.html",
        "authors/zeyu-cao/index.html",
        "days/2026-06-18/index.html",
    ]
    for page in pages:
        found = cards((built_site.output / page).read_text())
        assert found, page
        missing = [c[:200] for c in found if '<p class="tldr"' not in c]
        assert missing == [], page
    home = (built_site.output / "index.html").read_text()
    assert f"(automatic):</span> {LOOPED_TLDR}</p>" in home


def test_paper_page_shows_the_models_tldr_as_text(built_site: BuiltSite) -> None:
    page = (built_site.output / "papers/arxiv-2605-17001/index.html").read_text()
    assert OLDER_TITLE in page
    tldr = re.search(r'<p class="tldr">.*?</p>', page, re.DOTALL)
    assert tldr and tldr.group(0) == (
        '<p class="tldr"><span class="tldr-label" data-pagefind-ignore>TL;DR:</span> Peers average'
        " by gossip &lt;script&gt;window.__pwned=4&lt;/script&gt;, so no server is needed.</p>"
    )
    points = re.search(r'<dl class="tldr-points">.*?</dl>', page, re.DOTALL)
    assert points and re.findall(r"<dt>(\w+)</dt>", points.group(0)) == [
        "Problem",
        "Method",
        "Result",
    ]
    assert "&lt;b&gt;Converges&lt;/b&gt; [like](javascript:x) the server does." in points.group(0)
    # a model's TL;DR is searched with the page; an automatic one is the abstract's own sentence
    body = page[page.index("data-pagefind-body") :]
    assert "Peers average by gossip" in body
    looped = (built_site.output / "papers/arxiv-2606-18001/index.html").read_text()
    assert (
        f'<p class="tldr" data-pagefind-ignore><span class="tldr-label" data-pagefind-ignore>'
        f"TL;DR (automatic):</span> {LOOPED_TLDR}</p>" in looped
    )
