"""Which papers the radar wants, and why. Pure: papers and a Radar in, matched papers out."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .models import Match, Paper, Radar, Topic
from .names import normalise_author, same_author
from .text import fold


@dataclass(frozen=True)
class _CompiledTopic:
    topic: Topic
    keywords: tuple[tuple[str, str], ...]  # (folded phrase, as written)
    exclude: tuple[str, ...]
    categories: frozenset[str]


class Matcher:
    """Compiled once per radar; matching a paper costs about one pass over its words."""

    def __init__(self, radar: Radar) -> None:
        self.radar = radar
        self.topics = [
            _CompiledTopic(
                topic=t,
                keywords=tuple((fold(k), k) for k in t.keywords if fold(k)),
                exclude=tuple(fold(e) for e in t.exclude if fold(e)),
                categories=frozenset(c.casefold() for c in t.categories),
            )
            for t in radar.topics
        ]
        # first word of each phrase → [(topic index, " phrase " or None for one word, as written)]
        self._first_word: dict[str, list[tuple[int, str | None, str]]] = defaultdict(list)
        for index, compiled in enumerate(self.topics):
            for folded, written in compiled.keywords:
                first, *rest = folded.split()
                self._first_word[first].append((index, f" {folded} " if rest else None, written))
        self._exclude_first = {e.split()[0] for t in self.topics for e in t.exclude}
        # topics that a category alone can bring in (no keywords): checked for every paper
        self._by_category = [
            i for i, t in enumerate(self.topics) if t.categories and not t.keywords
        ]
        self._watched = [(a, normalise_author(a)[0]) for a in radar.authors]
        self._watched_families = {family for _, family in self._watched}
        self._topic_matches: dict[tuple[str, str], Match] = {}

    def matches_for(self, paper: Paper) -> tuple[Match, ...]:
        found: list[Match] = []
        fields = {"title": f" {fold(paper.title)} ", "abstract": f" {fold(paper.abstract)} "}
        title_words = set(fields["title"].split())
        words = set((fields["title"] + fields["abstract"]).split())
        hits: dict[int, tuple[str, str]] = {}  # topic index → (phrase as written, field)
        for word in words & self._first_word.keys():
            for index, padded, written in self._first_word[word]:
                if index in hits:
                    continue
                if padded is None:  # a one-word keyword: the word sets already answer
                    hits[index] = (written, "title" if word in title_words else "abstract")
                    continue
                for field_name, text in fields.items():
                    if padded in text:
                        hits[index] = (written, field_name)
                        break
        paper_categories = {c.casefold() for c in paper.categories}
        has_excluded_word = bool(words & self._exclude_first)
        for index in sorted(hits.keys() | set(self._by_category)):  # radar.yaml's order
            compiled = self.topics[index]
            in_category = bool(compiled.categories & paper_categories)
            if compiled.keywords:
                if index not in hits or (compiled.categories and not in_category):
                    continue
                phrase, field_name = hits[index]
                reason = f'keyword "{phrase}" in {field_name}'
            elif in_category:
                category = sorted(compiled.categories & paper_categories)[0]
                reason = f"category {category}"
            else:
                continue
            if has_excluded_word and self._is_excluded(compiled, fields):
                continue
            found.append(self._topic_match(compiled.topic.name, reason))
        if not self._watched_families.intersection(fold(" ".join(paper.authors)).split()):
            return tuple(found)  # no watched family name among the words of the byline
        family_names = {normalise_author(a)[0] for a in paper.authors}
        for watched, family in self._watched:
            if family in family_names:
                author = next((a for a in paper.authors if same_author(watched, a)), None)
                if author is not None:
                    found.append(Match("author", watched, f"author {author}"))
        return tuple(found)

    def _topic_match(self, name: str, reason: str) -> Match:
        """One Match per topic and reason, shared by every paper it explains (Match is frozen)."""
        key = (name, reason)
        match = self._topic_matches.get(key)
        if match is None:
            match = self._topic_matches[key] = Match("topic", name, reason)
        return match

    @staticmethod
    def _is_excluded(compiled: _CompiledTopic, fields: dict[str, str]) -> bool:
        return any(f" {e} " in text for e in compiled.exclude for text in fields.values())


def match_papers(papers: Iterable[Paper], radar: Radar) -> list[Paper]:
    """The papers that match at least one topic or watched author, each carrying why."""
    matcher = Matcher(radar)
    matched = []
    for paper in papers:
        found = matcher.matches_for(paper)
        if found:
            matched.append(dataclasses.replace(paper, matches=found))
    return matched
