"""What the theme shows beyond a paper's stored fields, derived from them: a code link, the
ids search finds it by, a BibTeX entry, the byline's watched authors, a briefing's teaser.

Pure functions of plain values; plugin.py sets them on Pelican's articles."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import unescape

from ..names import same_author

# A repository URL as papers write it ("Code: https://github.com/org/repo."): host, owner, name.
_REPOSITORY = re.compile(
    r"https?://(?:www\.)?(github\.com|gitlab\.com)/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)",
    re.IGNORECASE,
)
_NOT_REPOSITORIES = {"orgs", "sponsors", "topics", "features", "about", "explore", "users"}


def find_code_url(*texts: str) -> str:
    """The first GitHub or GitLab repository named in the texts (abstract, arXiv comment),
    normalised to https://host/owner/name; '' when none is named."""
    for text in texts:
        for host, owner, name in _REPOSITORY.findall(text or ""):
            name = re.sub(r"\.git$", "", name.rstrip("."))
            if owner.lower() in _NOT_REPOSITORIES or not name:
                continue
            return f"https://{host.lower()}/{owner}/{name}"
    return ""


def arxiv_id(paper_id: str) -> str:
    """'arxiv:2606.19025' → '2606.19025'; '' for other ids."""
    scheme, _, rest = paper_id.partition(":")
    return rest if scheme == "arxiv" else ""


def arxiv_doi(arxiv: str) -> str:
    """The DOI arXiv (DataCite) gives every paper: 10.48550/arXiv.2606.19025."""
    return f"10.48550/arXiv.{arxiv}" if arxiv else ""


def search_ids(paper_id: str, version: str, dois: Iterable[str], slug: str) -> list[str]:
    """Words a visitor may paste to find the paper: its arXiv id with and without version
    (and as arXiv:…), its DOIs, its slug. Search lowercases; exact lookups use id_keys."""
    words = []
    arxiv = arxiv_id(paper_id)
    if arxiv:
        words += [arxiv, f"arXiv:{arxiv}"]
        if version:
            words.append(f"{arxiv}v{version}")
    words += [doi for doi in [*dois, arxiv_doi(arxiv)] if doi]
    words.append(slug)
    return list(dict.fromkeys(words))


def id_keys(paper_id: str, dois: Iterable[str], slug: str) -> list[str]:
    """The normalised keys of the exact-id lookup (search.js normalises a query the same
    way): arXiv id without version, DOIs lowercased, the slug."""
    arxiv = arxiv_id(paper_id)
    keys = [arxiv.lower()] + [doi.lower() for doi in [*dois, arxiv_doi(arxiv)]] + [slug.lower()]
    return list(dict.fromkeys(key for key in keys if key))


def author_pages(byline: Sequence[str], watched: Sequence[str]) -> dict[str, str]:
    """Byline name → the watched author it is ('Z. Cao' → 'Zeyu Cao'), by the radar's own
    name matching; names of no watched author are absent."""
    pages = {}
    for name in byline:
        for person in watched:
            if same_author(person, name):
                pages[name] = person
                break
    return pages


_BIBTEX_SPECIAL = str.maketrans({"{": "(", "}": ")", "\\": "/", "%": r"\%", "&": r"\&"})


def _bibtex_value(text: str) -> str:
    """Braces and backslashes would end or escape the field: replaced; % and & escaped."""
    return " ".join(text.translate(_BIBTEX_SPECIAL).split())


def bibtex_key(authors: Sequence[str], year: str, title: str) -> str:
    family = re.sub(r"[^a-z]", "", (authors[0].split()[-1] if authors else "anon").lower())
    word = next((w for w in re.findall(r"[a-z]+", title.lower()) if len(w) > 3), "paper")
    return f"{family or 'anon'}{year}{word}"


def bibtex_entry(
    *,
    title: str,
    authors: Sequence[str],
    year: str,
    month: str,
    url: str,
    doi: str = "",
    arxiv: str = "",
    journal: str = "",
) -> str:
    """An @article (journal) or @misc (preprint) entry, one field a line."""
    fields = [
        ("title", f"{{{_bibtex_value(title)}}}"),
        ("author", " and ".join(_bibtex_value(a) for a in authors) or "Unknown"),
        ("year", year),
        ("month", month),
    ]
    if journal:
        fields.append(("journal", _bibtex_value(journal)))
    if arxiv:
        fields += [("eprint", arxiv), ("archivePrefix", "arXiv")]
    if doi:
        fields.append(("doi", _bibtex_value(doi)))
    if url:
        fields.append(("url", _bibtex_value(url)))
    kind = "article" if journal else "misc"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{bibtex_key(authors, year, title)},\n{body}\n}}"


_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_HEADING = re.compile(r"<h[23][^>]*>(.*?)</h[23]>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
NOTABLE_HEADING = "Notable papers"  # brief.py's closing list: not a theme


def _plain(html: str) -> str:
    return " ".join(unescape(_TAG.sub("", html)).split())


def briefing_teaser(body_html: str) -> tuple[str, list[str]]:
    """A briefing's overview (its first paragraph, as text) and its themes' names."""
    first = _FIRST_PARAGRAPH.search(body_html)
    themes = [_plain(h) for h in _HEADING.findall(body_html)]
    return (_plain(first.group(1)) if first else "", [t for t in themes if t != NOTABLE_HEADING])


# How much of the abstract a listing card's disclosure holds. A paper is on ~3 listing pages
# (its day, its topics, its source): the whole abstract on each was half of a 50k site.
LEAD_CHARS = 320
_SENTENCE_END = re.compile(r"[.!?](?=\s)")


def abstract_lead(text: str, limit: int = LEAD_CHARS) -> tuple[str, bool]:
    """The abstract's opening for listing cards: its whole sentences that fit in `limit`
    characters, or, when the first sentence alone is longer, its words up to there and " …";
    and whether anything was left out (the card then links to the paper page for the rest)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text, False
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, limit + 1)]
    whole = [end for end in ends if end >= limit // 3]
    if whole:
        return text[: whole[-1]], True
    return text[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:") + " …", True
