"""A fast Pelican reader for the paper articles pipeline/archive writes.

Those files have one fixed shape: `Key: value` lines, a blank line, then paragraphs of plain
text escaped by text.escape_markdown (no Markdown structure can survive it). So they need no
Markdown engine: unescape each paragraph and HTML-escape it. Python-Markdown is ~10× slower
and is still used for every other file (briefings, pages).

Every file under content/papers/ is a paper article, read through pipeline.archive: one that is
damaged raises DamagedArticle, which Pelican reports and skips, and is listed for the build's
output and the status page (DAMAGED_ARTICLES in the settings Pelican shares with generators).
A briefing or page that is not UTF-8 text is listed the same way."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from pelican.readers import MarkdownReader

from ..archive import PAPERS_DIR, DamagedArticle, decode_article, read_paper_file
from ..models import Damaged
from ..text import unescape_markdown
from .paper_fields import abstract_lead

DAMAGED = "DAMAGED_ARTICLES"


def paper_body_html(body: str) -> str:
    """Escaped-Markdown paragraphs → the HTML Python-Markdown would give for them."""
    paragraphs = [p for p in body.strip().split("\n\n") if p.strip()]
    return "\n".join(
        f"<p>{escape(unescape_markdown(p.strip()), quote=False)}</p>" for p in paragraphs
    )


def summary_html(body_html: str, max_words: int | None) -> str:
    """The first paragraph cut to `max_words` words, as Pelican's summary would read."""
    first = body_html.split("\n", 1)[0].removeprefix("<p>").removesuffix("</p>")
    words = first.split()
    if max_words is None or len(words) <= max_words:
        return f"<p>{first}</p>"
    return f"<p>{' '.join(words[:max_words])}…</p>"


class PaperReader(MarkdownReader):
    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        content = Path(self.settings["PATH"])
        path = Path(source_path)
        try:
            if not path.resolve().is_relative_to((content / PAPERS_DIR).resolve()):
                try:
                    return super().read(source_path)
                except UnicodeDecodeError:  # a briefing or page: named, with where it breaks
                    decode_article(path.read_bytes(), path)
                    raise
            fields, body = read_paper_file(path)
        except DamagedArticle as err:
            damaged_articles(self.settings).append(err.shown(content))
            raise
        metadata = {name: self.process_metadata(name, value) for name, value in fields.items()}
        html = paper_body_html(body)
        # Pelican would cut the summary out of the HTML with its tag-aware truncation (0.15 ms a
        # paper); the body is plain text, so cut the words here.
        metadata["summary"] = summary_html(html, self.settings["SUMMARY_MAX_LENGTH"])
        lead, metadata["lead_cut"] = abstract_lead(unescape_markdown(body))
        metadata["lead"] = escape(lead, quote=False)
        return html, metadata


def damaged_articles(settings: dict[str, Any]) -> list[Damaged]:
    """The paper articles this build skipped, in the order Pelican met them."""
    return settings.setdefault(DAMAGED, [])


def use_paper_reader(readers: Any) -> None:
    readers.reader_classes["md"] = PaperReader
