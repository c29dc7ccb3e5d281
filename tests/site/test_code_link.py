"""A code link from arXiv's author comment: the recorded API result that names its repository
only there (sitedata.recorded_comment_paper) has it on its card and its paper page."""

from __future__ import annotations

import re

from sitedata import CODE_COMMENT_ID, CODE_COMMENT_URL, META_TITLE, BuiltSite

from pipeline.archive import article_relpath, read_article_file

CODE_LINK = f'<a href="{CODE_COMMENT_URL}">Code</a>'


def test_the_comment_is_in_the_article_and_not_in_the_abstract(built_site: BuiltSite) -> None:
    path = built_site.content / article_relpath(CODE_COMMENT_ID)
    header = path.read_text().split("\n\n")[0].splitlines()
    assert (
        "Comment: Final version, 6 figures, Python code and Jupyter notebook available at "
        f"{CODE_COMMENT_URL}"
    ) in header
    assert "github" not in read_article_file(path).abstract.lower()


def test_paper_page_links_the_code_and_shows_the_comment(built_site: BuiltSite) -> None:
    page = (built_site.output / "papers/arxiv-1706-00679/index.html").read_text()
    links = re.search(r'<dd class="paper-links">(.*?)</dd>', page, re.DOTALL)
    assert links and CODE_LINK in links.group(1)
    assert (
        '<dd class="comment">Final version, 6 figures, Python code and Jupyter notebook '
        f"available at {CODE_COMMENT_URL}</dd>"
    ) in page


def test_the_card_links_the_code(built_site: BuiltSite) -> None:
    listing = (built_site.output / "topics/super-resolution/index.html").read_text()
    [card] = re.findall(r'<article class="card[^"]*".*?</article>', listing, re.DOTALL)
    assert "Testing Gaussian Process with Applications to Super-Resolution" in card
    card_links = re.search(r'<p class="card-links">(.*?)</p>', card, re.DOTALL)
    assert card_links and CODE_LINK in card_links.group(1)


def test_a_hostile_comment_is_one_line_of_text(built_site: BuiltSite) -> None:
    """sitedata.HOSTILE_COMMENT: a newline, 'Title:', 'Slug:' and a script in arXiv's comment."""
    page = (built_site.output / "papers/arxiv-2606-90004/index.html").read_text()
    assert (
        '<dd class="comment">9 pages Title: hijacked Slug: evil '
        "&lt;script&gt;window.__pwned=5&lt;/script&gt;</dd>"
    ) in page
    title = META_TITLE.replace("\n", " ")
    assert f'<h1 data-pagefind-meta="title">{title}</h1>' in page
