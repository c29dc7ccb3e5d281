"""The one place untrusted text is cleaned: feed HTML to plain text, plain text to Markdown and
metadata that can carry no markup. Every writer goes through here."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

# Python-Markdown (with Pelican's default "extra") reads these anywhere in a line; a backslash
# neutralises each. Raw HTML, entities and autolinks are stopped by escaping <, > and &.
_INLINE_SPECIALS = set("\\`*_{}[]")
# These only mean something at the start of a paragraph (headings, lists, rules, fences,
# definition lists); they are escaped there only, so abstracts stay readable in the archive.
_LEADING_BACKSLASHED = set("#+-")
_LEADING_ENTITIES = {":": "&#58;", "~": "&#126;", "|": "&#124;", "=": "&#61;"}
_HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SUPERSCRIPTS = str.maketrans("0123456789+-−=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿ")  # "−" is U+2212, minus
_SUBSCRIPTS = str.maketrans("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎")
# ("annotation": MathML repeats the formula there, as TeX, for machines)
_DROP_CONTENT = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "applet",
    "noscript",
    "template",
    "annotation",
    "annotation-xml",
}
# MathML layouts whose children have roles: the n-th child (1-based) of each → how it reads
_MATH_CHILD_ROLES = {
    "msup": {2: "sup"},
    "msub": {2: "sub"},
    "msubsup": {2: "sub", 3: "sup"},
    "mfrac": {2: "/"},
}
# (the last three are JATS's, in Crossref abstracts)
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
    "section",
    "article",
    "table",
    "dd",
    "dt",
    "sec",
    "title",
    "list-item",
}


# ZERO WIDTH NON-JOINER and JOINER shape Persian, Indic and emoji text; between two non-ASCII
# letters they are kept, anywhere else they go like every other format character.
_JOINERS = "\u200c\u200d"


def _is_breaking_char(ch: str) -> bool:
    """Control characters and Unicode line/paragraph separators: they can break a metadata line."""
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Cs", "Co") and ch not in "\n\t"


def _shapes_script(text: str, index: int) -> bool:
    if index == 0 or index + 1 >= len(text):
        return False
    return all(
        not ch.isascii() and unicodedata.category(ch)[0] in "LM"
        for ch in (text[index - 1], text[index + 1])
    )


def clean_chars(text: str) -> str:
    """Breaking characters become spaces; invisible format characters (soft hyphen, zero-width
    space, word joiner, BOM, bidi embeddings, overrides, isolates and marks) vanish, so
    "Ver\u00adíssimo" reads "Veríssimo" and no title hides text or reverses its display."""
    if text.isprintable():
        return text
    kept = []
    for index, ch in enumerate(text):
        if ch.isprintable() or ch in "\n\t":
            kept.append(ch)
        elif unicodedata.category(ch) == "Cf":
            if ch in _JOINERS and _shapes_script(text, index):
                kept.append(ch)
        else:
            kept.append(" " if _is_breaking_char(ch) else ch)
    return "".join(kept)


def one_line(text: str) -> str:
    """Collapse all whitespace (newlines included) to single spaces: safe as a metadata value."""
    return " ".join(clean_chars(text).split())


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropping = 0
        self._script: list[str] = []  # "sup"/"sub" stack
        self._math: list[list] = []  # open MathML elements: [tag, children seen, "sup"/"sub"/""]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = _local_name(tag)
        if tag == "math" or self._math:
            self._start_math(tag)
        if tag in _DROP_CONTENT:
            self._dropping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n" if tag != "br" else "\n")
        elif tag in ("sup", "sub"):
            self._script.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if _local_name(tag) == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        tag = _local_name(tag)
        if self._math and any(frame[0] == tag for frame in self._math):
            self._end_math(tag)
        if tag in _DROP_CONTENT:
            self._dropping = max(0, self._dropping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag in ("sup", "sub") and self._script:
            self._script.pop()

    def _start_math(self, tag: str) -> None:
        """MathML as the text a reader would type: x², H₂O, 1/2, √(x)."""
        script = ""
        if self._math:
            parent = self._math[-1]
            parent[1] += 1
            role = _MATH_CHILD_ROLES.get(parent[0], {}).get(parent[1], "")
            if role in ("sup", "sub"):
                script = role
                self._script.append(role)
            elif role == "/":
                self.parts.append("/")
        if tag == "msqrt":
            self.parts.append("√(")
        self._math.append([tag, 0, script])

    def _end_math(self, tag: str) -> None:
        while self._math:
            name, _, script = self._math.pop()
            if script and self._script:
                self._script.pop()
            if name == "msqrt":
                self.parts.append(")")
            if name == tag:
                return

    def handle_data(self, data: str) -> None:
        if self._dropping:
            return
        if self._script:
            data = _script_text(data, self._script[-1])
        self.parts.append(data)


def _local_name(tag: str) -> str:
    """'jats:sup' → 'sup', 'mml:msup' → 'msup': JATS and MathML come prefixed (Crossref)."""
    return tag.rpartition(":")[2]


def _script_text(data: str, kind: str) -> str:
    """x<sup>2</sup> → x², CO<sub>2</sub> → CO₂; what Unicode cannot express stays as ^(…)/_(…)."""
    table = _SUPERSCRIPTS if kind == "sup" else _SUBSCRIPTS
    converted = data.translate(table)
    if all(ch != orig or ch.isspace() for ch, orig in zip(converted, data, strict=True)):
        return converted
    return ("^" if kind == "sup" else "_") + f"({data})"


def plain_text(fragment: str) -> str:
    """Feed HTML → plain text: tags dropped (script and style with their content), entities
    decoded, sub/superscripts kept as text, paragraphs kept as blank lines."""
    extractor = _TextExtractor()
    extractor.feed(fragment)
    extractor.close()
    return tidy_text("".join(extractor.parts))


def tidy_text(text: str) -> str:
    """Plain text (no HTML in it) with whitespace normalised and paragraphs kept."""
    return "\n\n".join(plain_text_paragraphs(text))


def escape_markdown(text: str) -> str:
    """Plain text → Markdown that renders as exactly that text: no HTML, links, lists, headings.

    Each paragraph becomes one line, so nothing can span lines (setext headings, tables, metadata).
    """
    return "\n\n".join(_escape_paragraph(p) for p in plain_text_paragraphs(text))


def _escape_paragraph(paragraph: str) -> str:
    chars = []
    for ch in paragraph:
        if ch in _HTML_ESCAPES:
            chars.append(_HTML_ESCAPES[ch])
        elif ch in _INLINE_SPECIALS:
            chars.append("\\" + ch)
        else:
            chars.append(ch)
    first = paragraph[0]
    if first in _LEADING_BACKSLASHED:
        chars[0] = "\\" + first
    elif first in _LEADING_ENTITIES:
        chars[0] = _LEADING_ENTITIES[first]
    ordered = re.match(r"\d+([.)])", paragraph)  # "1. " would start an ordered list
    if ordered:
        chars[ordered.end() - 1] = "\\" + ordered.group(1) if ordered.group(1) == "." else "&#41;"
    return "".join(chars)


def plain_text_paragraphs(text: str) -> list[str]:
    """Split on blank lines and collapse whitespace inside each paragraph."""
    return [p for p in (one_line(par) for par in re.split(r"\n\s*\n", text)) if p]


_UNESCAPE = re.compile(r"\\(.)|&(amp|lt|gt|#\d+);")
_ENTITY_CHARS = {"amp": "&", "lt": "<", "gt": ">"}


def unescape_markdown(markdown: str) -> str:
    """Inverse of escape_markdown, so the archive can be read back into Papers."""

    def replace(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return m.group(1)
        entity = m.group(2)
        return chr(int(entity[1:])) if entity.startswith("#") else _ENTITY_CHARS[entity]

    return "\n\n".join(_UNESCAPE.sub(replace, p) for p in markdown.split("\n\n"))


def slugify(text: str, limit: int = 80) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-")


# ASCII non-word characters (as `[^\w]|_` sees them) → space, for fold's fast path.
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


def fold(text: str) -> str:
    """Case- and accent-insensitive form used for matching: 'Müller-Lüdenscheidt' → 'muller lu…'."""
    folded = text.casefold()
    if folded.isascii():  # most titles and abstracts: one C-level pass, no regex
        return " ".join(folded.translate(_ASCII_SEPARATORS).split())
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+|_", " ", stripped).split())


def safe_url(url: str) -> str:
    """Only absolute http(s) URLs survive; javascript:, data: and the like become ''."""
    url = one_line(url)
    if re.match(r"^https?://[^\s\"'<>`]+$", url, re.IGNORECASE):
        return url
    return ""


def markdown_cell(text: str) -> str:
    """Plain text → one line of GitHub Markdown for a table cell or list item (step summaries,
    the health issue): escaped as articles are, `|` cannot end the cell, `@name` pings nobody."""
    return escape_markdown(one_line(text)).replace("|", "\\|").replace("@", "@\u2060")


_CHAT_SPECIALS = re.compile(r"([\\`*_\[\]<>#|~])")


def chat_markdown(text: str) -> str:
    """Plain text → one line of chat Markdown (Mattermost, Slack, Discord, Telegram through
    Apprise): every character that could start markup, a link, HTML or a mention is inert."""
    return _CHAT_SPECIALS.sub(r"\\\1", one_line(text)).replace("@", "@\u2060")
