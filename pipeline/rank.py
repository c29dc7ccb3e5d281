"""How close each paper is to the reader's library, and why. Pure: a Library and texts in, scores
out; the index cache on disk is `load_or_fit`'s business alone.

The lexical lane is TF-IDF (scikit-learn) fitted on the library plus the archive, so a word
common in everything the radar sees weighs little. A paper's score is the mean cosine of its
nearest library papers, each weighted by how recently it joined the library, minus its closeness
to papers the reader marked not interested. A Rocchio lane (closeness to the library's weighted
centre) ranks the same space another way; `fuse_by_rank` combines lanes by reciprocal rank,
which is what the bench compares (README, "Ranked for you").
"""

from __future__ import annotations

import math
import pickle
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfTransformer

from .library import Library
from .models import Paper
from .write import write_atomically

NEAREST = 3  # library papers a score averages over, and a card names
NOT_INTERESTED_WEIGHT = 0.8  # how hard closeness to an unwanted paper pulls a score down
RECENT_DAYS = 365  # a library paper this old weighs half again less than a new one
OLDEST_WEIGHT = 0.6
RRF_K = 60  # reciprocal-rank fusion's constant (Cormack et al. 2009)
CACHE_NAME = "rank-index.pickle"
CACHE_VERSION = 2
REFERENCE_SIZE = 5_000  # archive papers a relevance is measured against (evenly spaced)
MIN_REFERENCE = 200  # below this many archive papers, a night's papers join the reference
REFIT_GROWTH = 1.25  # refit when the archive grew by a quarter since the index was fitted
SHARED_TERMS = 4
# Words every abstract uses; IDF already weighs them little, listing them as "shared" says nothing
GENERIC = frozenset(
    {
        "paper",
        "propose",
        "proposed",
        "method",
        "methods",
        "approach",
        "results",
        "show",
        "model",
        "models",
        "based",
        "using",
        "new",
        "data",
        "task",
        "tasks",
        "performance",
        "framework",
        "work",
        "study",
        "existing",
        "problem",
        "achieve",
    }
)


@dataclass(frozen=True)
class Relevance:
    """A paper's score (0–1), its nearest library papers (titles) and the terms it shares with
    the nearest one."""

    score: float
    nearest: tuple[str, ...] = ()
    shared_terms: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        if not self.nearest:
            return ""
        shared = f" (shared: {', '.join(self.shared_terms)})" if self.shared_terms else ""
        return f"similar to ‹{self.nearest[0]}›{shared}"


def paper_text(paper: Paper) -> str:
    return f"{paper.title}. {paper.abstract}"


def recency_weight(added: date | None, today: date) -> float:
    """1.0 for a paper added today, falling smoothly to OLDEST_WEIGHT; unknown dates weigh the
    least (an export without dates says nothing about what is recent)."""
    if added is None:
        return OLDEST_WEIGHT
    age = max(0, (today - added).days)
    return OLDEST_WEIGHT + (1 - OLDEST_WEIGHT) * math.exp(-age / RECENT_DAYS)


TOKEN = re.compile(r"[a-z][a-z0-9-]+")
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS)


def words(text: str) -> list[str]:
    """The words a paper is compared by: lower case, no stop words, no numbers."""
    return [word for word in TOKEN.findall(text.lower()) if word not in STOP_WORDS]


class TermSpace:
    """TF-IDF over words, scikit-learn's counting and weighting fitted once; texts are counted by
    our own loop (`vocabulary.get` over a regex's words), 2–3× faster than CountVectorizer's,
    which is what keeps a 10,000-paper night within the two-second budget."""

    def __init__(self, texts: Sequence[str]) -> None:
        small = len(texts) < 4  # min_df=2 needs a few documents; a tiny radar still gets scores
        counter = CountVectorizer(
            analyzer=words,
            min_df=1 if small else 2,
            max_df=1.0 if small else 0.5,
            dtype=np.float32,
        )
        counts = counter.fit_transform(texts)
        self.vocabulary: dict[str, int] = counter.vocabulary_
        self.weighting = TfidfTransformer(sublinear_tf=True).fit(counts)
        self.terms = counter.get_feature_names_out()

    def __len__(self) -> int:
        return len(self.vocabulary)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        if not texts:
            return sparse.csr_matrix((0, len(self.vocabulary)), dtype=np.float32)
        lookup = self.vocabulary.get
        indices: list[int] = []
        offsets = [0]
        for text in texts:
            indices.extend(i for i in map(lookup, TOKEN.findall(text.lower())) if i is not None)
            offsets.append(len(indices))
        counts = sparse.csr_matrix(
            (
                np.ones(len(indices), dtype=np.float32),
                np.asarray(indices, dtype=np.int32),
                np.asarray(offsets, dtype=np.int64),
            ),
            shape=(len(texts), len(self.vocabulary)),
        )
        counts.sum_duplicates()
        return self.weighting.transform(counts).tocsr()


class Ranker:
    """A fitted TF-IDF space with the library's papers in it. Build with `Ranker.fit`."""

    def __init__(
        self,
        space: TermSpace,
        library: Library,
        today: date,
        fitted_on: int,
        unwanted_texts: Sequence[str] = (),
    ) -> None:
        self.space = space
        self.library = library
        self.fitted_on = fitted_on  # documents the IDF was fitted on
        self.today = today
        self.titles = [p.title for p in library.papers]
        self.library_matrix = space.transform([p.text for p in library.papers]).tocsr()
        self.weights = np.array(
            [recency_weight(p.added, today) for p in library.papers], dtype=np.float32
        )
        centre = np.asarray(self.library_matrix.T @ self.weights).ravel()
        norm = float(np.linalg.norm(centre))
        self.centre = centre / norm if norm else centre
        unwanted = [text for text in unwanted_texts if text.strip()]
        self.unwanted_matrix = space.transform(unwanted).tocsr() if unwanted else None
        self.terms = space.terms
        self.reference_lanes: dict[str, np.ndarray] = {}
        self.reference: dict[str, np.ndarray] = {}
        self.reference_fused = np.zeros(0)

    @classmethod
    def fit(
        cls,
        library: Library,
        archive_texts: Iterable[str],
        today: date,
        unwanted_texts: Sequence[str] = (),
    ) -> Ranker:
        texts = [p.text for p in library.papers] + list(archive_texts)
        return cls(TermSpace(texts), library, today, len(texts), unwanted_texts)

    def vectors(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return self.space.transform(texts).tocsr()

    def lane_scores(self, vectors: sparse.csr_matrix) -> dict[str, np.ndarray]:
        """Raw scores per lane, higher is closer: "nearest" (the mean cosine of the nearest
        library papers, weighted by recency) and "centre" (cosine to the library's weighted
        centre), both minus closeness to the papers the reader does not want."""
        nearest, _ = self._nearest(vectors)
        centre = np.asarray(vectors @ self.centre).ravel()
        unwanted = self._unwanted(vectors)
        return {
            "nearest": np.clip(nearest - unwanted, 0.0, None),
            "centre": np.clip(centre - unwanted, 0.0, None),
        }

    def _nearest(self, vectors: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """Per paper: the mean weighted cosine of its nearest library papers, and their indices
        (best first)."""
        count = vectors.shape[0]
        if self.library_matrix.shape[0] == 0 or count == 0:
            return np.zeros(count, dtype=np.float32), np.zeros((count, 0), dtype=np.int64)
        similar = (vectors @ self.library_matrix.T).toarray() * self.weights
        k = min(NEAREST, similar.shape[1])
        nearest = np.argpartition(-similar, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(similar, nearest, axis=1)
        order = np.argsort(-top, axis=1)
        nearest = np.take_along_axis(nearest, order, axis=1)
        return np.take_along_axis(top, order, axis=1).mean(axis=1), nearest

    def _unwanted(self, vectors: sparse.csr_matrix) -> np.ndarray:
        if self.unwanted_matrix is None:
            return np.zeros(vectors.shape[0], dtype=np.float32)
        closest = (vectors @ self.unwanted_matrix.T).toarray().max(axis=1)
        return NOT_INTERESTED_WEIGHT * closest

    def set_reference(self, lanes: Mapping[str, np.ndarray]) -> None:
        """The papers a score is measured against, by their lane scores (aligned): relevance
        0.9 means closer to the library, both lanes fused, than 90% of them."""
        self.reference_lanes = {name: np.asarray(values) for name, values in lanes.items()}
        self.reference = {name: np.sort(values) for name, values in self.reference_lanes.items()}
        count = len(next(iter(lanes.values()), ()))
        self.reference_fused = np.sort(self._fused(self.reference_lanes)) if count else np.zeros(0)

    def measure_against(self, texts: Sequence[str]) -> None:
        """Take these papers (the archive's) as the reference."""
        self.set_reference(self.lane_scores(self.vectors(texts)))

    def widen_reference(self, texts: Sequence[str]) -> None:
        """Add papers (a night's) to a reference too small to say much (a young archive)."""
        if len(self.reference_fused) >= MIN_REFERENCE or not texts:
            return
        more = self.lane_scores(self.vectors(texts))
        if not self.reference_lanes:
            self.set_reference(more)
            return
        self.set_reference(
            {name: np.concatenate([self.reference_lanes[name], more[name]]) for name in more}
        )

    def _fused(self, lanes: Mapping[str, np.ndarray]) -> np.ndarray:
        """Reciprocal-rank fusion, each lane's rank taken among the reference papers."""
        fused = np.zeros(len(next(iter(lanes.values()))), dtype=np.float64)
        for name, values in lanes.items():
            reference = self.reference[name]
            above = len(reference) - np.searchsorted(reference, values, side="right")
            fused += 1.0 / (RRF_K + 1 + above)
        return fused

    def relevance_values(self, texts: Sequence[str]) -> np.ndarray:
        """Relevance (0–1) of each text, without reasons: the share of reference papers whose
        fused rank is below its own. With no reference yet (an empty archive), the texts are
        measured against each other."""
        lanes = self.lane_scores(self.vectors(texts))
        return self._relevance_of(lanes, texts)

    def _relevance_of(self, lanes: Mapping[str, np.ndarray], texts: Sequence[str]) -> np.ndarray:
        if not len(self.reference_fused):
            self.measure_against(texts)
        fused = self._fused(lanes)
        reference = self.reference_fused
        share_below = np.interp(fused, reference, np.arange(len(reference)) / len(reference))
        share_below = np.where(fused >= reference[-1], 1.0, share_below)
        return np.where(lanes["nearest"] > 0, share_below, 0.0)

    def order(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The texts' indices, most relevant first, and their relevance. Papers past the whole
        reference all have relevance 1.0; among equals the lanes' ranks within these texts
        decide (fused the same way)."""
        lanes = self.lane_scores(self.vectors(texts))
        values = self._relevance_of(lanes, texts)
        within = fuse_by_rank(lanes)
        return np.lexsort((-within, -values)), values

    def score(self, texts: Sequence[str]) -> list[Relevance]:
        """A Relevance per text, in order: score, nearest library papers and shared terms."""
        vectors = self.vectors(texts)
        lanes = self.lane_scores(vectors)
        values = self._relevance_of(lanes, texts)
        _, nearest = self._nearest(vectors)
        return [
            self._explain(vectors, row, float(values[row]), nearest[row])
            for row in range(len(texts))
        ]

    def _explain(
        self, vectors: sparse.csr_matrix, row: int, value: float, nearest: np.ndarray
    ) -> Relevance:
        score = round(value, 2)
        vector = vectors.getrow(row)
        closest = [int(i) for i in nearest if self._similarity(vector, int(i)) > 0]
        if not closest:
            return Relevance(score)
        return Relevance(
            score,
            tuple(self.titles[i] for i in closest),
            self._shared_terms(vector, closest[0]),
        )

    def _similarity(self, vector: sparse.csr_matrix, index: int) -> float:
        return float((vector @ self.library_matrix.getrow(index).T).toarray()[0, 0])

    def _shared_terms(self, vector: sparse.csr_matrix, index: int) -> tuple[str, ...]:
        """The terms that add most to the paper's closeness to one library paper."""
        contribution = vector.multiply(self.library_matrix.getrow(index)).tocoo()
        ranked = sorted(zip(contribution.data, contribution.col, strict=True), reverse=True)
        chosen: list[str] = []
        for _, column in ranked:
            term = str(self.terms[column])
            if term in GENERIC or any(term in c.split() or c in term.split() for c in chosen):
                continue
            chosen.append(term)
            if len(chosen) == SHARED_TERMS:
                break
        return tuple(chosen)


def fuse_by_rank(lanes: Mapping[str, Sequence[float]], k: int = RRF_K) -> np.ndarray:
    """Reciprocal-rank fusion: each lane ranks the papers, a paper scores Σ 1/(k + rank)."""
    fused = None
    for scores in lanes.values():
        values = np.asarray(scores, dtype=np.float64)
        ranks = np.empty(len(values))
        ranks[np.argsort(-values, kind="stable")] = np.arange(1, len(values) + 1)
        fused = 1.0 / (k + ranks) if fused is None else fused + 1.0 / (k + ranks)
    return fused if fused is not None else np.zeros(0)


# ---- the index cache: the only I/O here ------------------------------------------------------


@dataclass(frozen=True)
class CachedIndex:
    version: int
    library_fingerprint: str
    fitted_on: int
    space: TermSpace
    reference_lanes: dict[str, np.ndarray]


def load_or_fit(
    library: Library,
    archive_size: int,
    archive_texts: Callable[[], Sequence[str]],
    cache_dir: Path,
    today: date,
    unwanted_texts: Sequence[str] = (),
) -> tuple[Ranker, str]:
    """The fitted index from cache/ when the library is unchanged and the archive has not grown
    by a quarter since; otherwise fitted again on the archive's texts (read only then) and
    cached. Returns the ranker and a line for the run report."""
    path = cache_dir / CACHE_NAME
    cached = _read_cache(path)
    if (
        cached is not None
        and cached.library_fingerprint == library.fingerprint
        and archive_size + len(library.papers) <= cached.fitted_on * REFIT_GROWTH
    ):
        ranker = Ranker(cached.space, library, today, cached.fitted_on, unwanted_texts)
        ranker.set_reference(cached.reference_lanes)
        return ranker, f"ranking: index of {cached.fitted_on} papers reused from {path}"
    texts = list(archive_texts())
    ranker = Ranker.fit(library, texts, today, unwanted_texts)
    ranker.measure_against(texts[:: max(1, len(texts) // REFERENCE_SIZE)])
    why = "the library or archive changed" if cached is not None else "no index was cached"
    cached = CachedIndex(
        CACHE_VERSION, library.fingerprint, ranker.fitted_on, ranker.space, ranker.reference_lanes
    )
    write_atomically(path, pickle.dumps(cached, protocol=pickle.HIGHEST_PROTOCOL))
    return ranker, f"ranking: index fitted on {ranker.fitted_on} papers ({why})"


def _read_cache(path: Path) -> CachedIndex | None:
    """Our own pickle in cache/ (never committed, never from elsewhere); unreadable = refit."""
    try:
        with open(path, "rb") as handle:
            cached = pickle.load(handle)  # noqa: S301 - written by load_or_fit on this machine
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    if not isinstance(cached, CachedIndex) or cached.version != CACHE_VERSION:
        return None
    return cached
