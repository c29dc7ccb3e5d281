"""The embedded default: a briefing and a TL;DR per paper with no model, no key and no network.

Themes are clusters of the day's papers (TF-IDF over titles and abstracts, reduced with SVD and
grouped with k-means, as scikit-learn's document-clustering example does), each named by the
phrases most distinctive of its papers; a theme whose papers come from several topics or sources
says so. A paper's TL;DR is its abstract's own sentence stating the contribution ("we propose …",
"we show …"), trimmed. Pure and deterministic (fixed seeds); a 300-paper day takes well under a
second (`make bench`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .models import Paper, Tldr
from .text import one_line

TLDR_WORDS = 30
MAX_PHRASES = 3

# Words that never name a theme alone nor start or end a phrase: function words …
STOP = frozenset(
    re.findall(
        r"\w+",
        """a about above across after again against all almost also although among an and another
    any are as at be because been before being below between both but by can cannot could did do
    does doing done due during each either et al etc few for from further had has have having
    here how however i ie eg if in into is it its itself just least less many may might more
    most much must my neither no nor not now of off often on once one only onto or other others
    otherwise our ours out over own per rather same several shall should since so some such than
    that the their theirs them themselves then there thereby therefore these they this those
    though thus to too toward towards two three four five under until up upon us very via was we
    were what whatever when where whereas whether which while who whom whose why will with
    within without would yet you your first second third""",
    )
)
# … and words too general to say what a group of papers is about (they may sit inside a phrase,
# as "model" in "world model", but a phrase made only of them is no name).
GENERIC = frozenset(
    re.findall(
        r"\w+",
        """able abstract accuracy achieve achieved achieves achieving addition additionally address
    addresses algorithm algorithms allow allows analysis analyze applied apply approach approaches
    art article aspects available based baseline baselines benchmark benchmarks best better broad
    called case cases challenge challenges challenging compared comparison competitive complex
    comprehensive conduct conducted consider considered consistently context contrast contribution
    contributions current currently data dataset datasets demonstrate demonstrated demonstrates
    demonstrating describe described design designed despite develop developed developing
    development different difficult directly effective effectively effectiveness efficient
    efficiently empirical empirically enable enables enabling encoding end enhance ensure
    evaluate evaluated evaluation evaluations even evidence example existing experiment
    experimental experiments explore extensive extensively fail field find findings focus
    following form framework frameworks fully future general generally given good great help
    high higher highly however human idea identify impact important improve improved improvement
    improvements improves improving include includes including increase increasing information
    insights instead introduce introduced introduces investigate key known lack large larger
    learn learned learning level leverage leverages leveraging like limited literature low lower
    main make makes making manner method methodology methods metric metrics model modeling
    models moreover multiple need needs new non novel number numerous observe obtain obtained
    offer offers order outperform outperforms overall paper papers particular particularly
    perform performance performed performs potential practical present presented presents
    previous primarily prior problem problems process processes promising propose proposed
    proposes provide provided provides providing quality range real recent recently reduce
    reduced reduces reducing related remain remains report research researchers respectively
    result results reveal reveals robust scenarios set settings show showed showing shown shows
    significant significantly similar simple solution solutions specific specifically standard
    state strategies strategy strong studies study studied substantial substantially successfully
    suggest superior support system systems task tasks technique techniques term terms test
    tested therefore time times tool tools total towards traditional trained training type types
    typically underlying understanding use used useful uses using usually value values variety
    various versus way ways well wide widely work works yield yields predict predicts predicted
    predicting prediction predictions efficiency demand demands require requires requirement
    requirements cost costs application applications automated automatic generation
    generate generated generating real-world state-of-the-art large-scale open-source
    available code""",
    )
)
# … and verbs, which never start or end a name ("using transformers", "based")
VERBS = frozenset(
    re.findall(
        r"\w+",
        """achieve achieves allow allows based called demonstrate demonstrates enable enables
    enabling
    given improve improved improves include includes including introduce introduced introduces
    leverage leverages leveraging make makes making obtain obtained outperform outperforms
    perform performed performs predict predicted predicting predicts present presented presents
    propose proposed proposes provide provides providing require requires show showed shown shows
    use used uses using yield yields""",
    )
)
_URL = re.compile(r"(https?://|www\.)\S+")
_CLAUSE = re.compile(r"[.,;:!?()\[\]{}\"“”]+\s*")
_TOKEN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"“])")
_ABBREVIATIONS = re.compile(
    r"\b(e\.g|i\.e|et al|etc|vs|cf|Figs?|Eqs?|Refs?|Sec|Tab|No|Dr|Prof|resp|approx|U\.S|U\.K"
    r"|E\.U)\.\s",
    re.IGNORECASE,
)
# a sentence stating what the paper contributes, strongest first
_CONTRIBUTION = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(we|this (paper|work|study|article|letter)|here,? we|in this (paper|work)),? "
        r"(\w+ ){0,3}(propos|introduc|present|develop|design|devis|buil|creat|formulat)",
        r"\b(we|this (paper|work|study)|our (results|findings|experiments|analysis)) "
        r"(\w+ ){0,3}(show|demonstrat|find|found|reveal|prov|establish|report|identif)",
        r"\b(we|this (paper|work|study|article)) (\w+ ){0,3}(study|investigate|examine|analy[sz]e"
        r"|explore|address|consider|describe|tackle|evaluate)",
        r"\b(our|the proposed) (method|approach|model|framework|system|algorithm)\b",
    )
]


@dataclass(frozen=True)
class AutoTheme:
    title: str  # the distinctive phrases, "federated learning · communication rounds"
    summary: str
    paper_ids: tuple[str, ...]
    crosses: bool  # its papers come from more than one topic or source


def topics_of(paper: Paper) -> list[str]:
    return [m.name for m in paper.matches if m.kind == "topic"]


# ---- TL;DR ----------------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    guarded = _ABBREVIATIONS.sub(lambda m: m.group(0).replace(". ", ".\x00"), one_line(text))
    return [s.replace(".\x00", ". ").strip() for s in _SENTENCE_END.split(guarded) if s.strip()]


def trim_words(sentence: str, limit: int = TLDR_WORDS) -> str:
    """At most `limit` words: cut at the last clause boundary that keeps most of them, else at
    the limit, marked with an ellipsis."""
    words = sentence.split()
    if len(words) <= limit:
        return sentence
    head = " ".join(words[:limit])
    clause = max(head.rfind(", "), head.rfind("; "), head.rfind(": "))
    if clause > len(head) * 0.6:
        head = head[:clause]
    return head.rstrip(",;: ") + " …"


def contribution_sentence(abstract: str) -> str:
    """The abstract's sentence that says what the paper does, or its first sentence."""
    found = sentences(abstract)
    for pattern in _CONTRIBUTION:
        for sentence in found:
            if pattern.search(sentence):
                return sentence
    return found[0] if found else ""


def automatic_tldr(paper: Paper) -> Tldr:
    sentence = contribution_sentence(paper.abstract) or one_line(paper.title)
    sentence = re.sub(r"^(In this (paper|work|study|article)|Here|Herein),\s+", "", sentence)
    return Tldr(trim_words(sentence[:1].upper() + sentence[1:]), kind="automatic")


# ---- themes ---------------------------------------------------------------------------------


def _phrases(text: str) -> list[str]:
    """Words and phrases of up to four words that could name a theme: none starts or ends with a
    function word or a verb, none is made only of general words ("proposed method"), function
    words may sit inside ("mixture of experts"). Prefix sums keep it linear in the text."""
    found: list[str] = []
    for clause in _CLAUSE.split(_URL.sub(" ", text.lower())):
        found += _clause_phrases(_TOKEN.findall(clause))
    return found


def _clause_phrases(tokens: list[str]) -> list[str]:
    edge = [t not in STOP and t not in VERBS and len(t) > 2 for t in tokens]
    general, bad = [0], [0]  # prefix counts: general words; too-short words that are no STOP
    for t in tokens:
        general.append(general[-1] + (t in GENERIC or t in STOP))
        bad.append(bad[-1] + (len(t) < 3 and t not in STOP))
    found = [
        t for t, ok in zip(tokens, edge, strict=True) if ok and t not in GENERIC and not t.isdigit()
    ]
    for size in (2, 3, 4):
        for i in range(len(tokens) - size + 1):
            end = i + size
            if (
                edge[i]
                and edge[end - 1]
                and bad[end] == bad[i]
                and general[end] - general[i] < size
            ):
                found.append(" ".join(tokens[i:end]))
    return found


def _document(paper: Paper) -> str:
    return f"{paper.title}. {paper.title}. {paper.abstract}"  # the title counts twice


def _cluster(matrix, count: int) -> list[int]:  # noqa: ANN001 - a scipy sparse matrix
    """k-means over the papers' latent-semantic coordinates. The coordinates come from the
    eigenvectors of the papers' similarity matrix (papers × papers) rather than an SVD of the
    papers × phrases matrix: the same left singular vectors, from a 300 × 300 problem instead of
    one with 30,000 columns."""
    import numpy as np
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    # one BLAS thread: on a shared two-core runner, threads fighting over the algebra made a
    # 100-paper day take 7 s instead of 0.3 s
    with threadpool_limits(1):
        gram = (matrix @ matrix.T).toarray()
        values, vectors = np.linalg.eigh(gram)
        keep = min(100, len(values))
        points = vectors[:, -keep:] * np.sqrt(np.clip(values[-keep:], 0, None))
        norms = np.linalg.norm(points, axis=1, keepdims=True)
        points = points / np.where(norms > 0, norms, 1)
        distinct = len({tuple(row) for row in points.round(6)})
        clusters = max(1, min(count, distinct))
        return [int(x) for x in KMeans(clusters, n_init=4, random_state=0).fit_predict(points)]


def _names(members: list[int], matrix, lengths, terms: Sequence[str], present) -> list[str]:  # noqa: ANN001
    """The phrases most distinctive of these papers: their mean weight here over the rest's,
    longer phrases preferred, among phrases at least two of them (a quarter, in a big group)
    share. Vectorised: a 300-paper day has some 30,000 shared phrases."""
    import numpy as np

    inside = np.asarray(matrix[members].mean(axis=0)).ravel()
    others = np.setdiff1d(np.arange(matrix.shape[0]), members)
    outside = np.asarray(matrix[others].mean(axis=0)).ravel() if len(others) else 0 * inside
    shared = np.asarray(present[members].sum(axis=0)).ravel()
    need = max(2, round(len(members) * 0.25))
    score = (inside - outside) * (1.0 + 0.35 * (lengths - 1)) * shared / len(members)
    score[(shared < need) | (inside <= outside)] = -1.0
    best = [int(j) for j in np.argsort(-score, kind="stable")[:200] if score[j] > 0]
    scores = [(score[j], j) for j in best]
    chosen: list[str] = []
    for _, j in scores:
        term = terms[j]
        inside_of = [c for c in chosen if f" {c} " in f" {term} "]
        if inside_of:  # "weakly connected data centres" after "weakly connected": the longer
            chosen[chosen.index(inside_of[0])] = term
            chosen = [c for c in chosen if c not in inside_of[1:]]
            continue
        if any(_stems(term) & _stems(c) for c in chosen):
            continue  # "federated" after "federated learning", "llm" after "llms": one name
        chosen.append(term)
        if len(chosen) == MAX_PHRASES:
            break
    return chosen


def _stems(phrase: str) -> set[str]:
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in phrase.split()}


def themes_of(papers: Sequence[Paper], max_themes: int) -> list[AutoTheme]:
    """The day's themes, biggest and most cross-cutting first; papers in no theme stay out."""
    if len(papers) < 2:
        return []
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfTransformer

    # Counted here rather than by TfidfVectorizer: it would first build the vocabulary of every
    # phrase of every paper (500,000 on a 300-paper day) and only then drop the unshared ones.
    documents = [_phrases(_document(p)) for p in papers]
    frequency = Counter(term for phrases in documents for term in set(phrases))
    common = 0.5 if len(papers) >= 8 else 1.0  # on a small day a phrase all papers share names it
    terms = sorted(t for t, n in frequency.items() if 2 <= n <= len(papers) * common)
    if not terms:
        return []
    column = {term: j for j, term in enumerate(terms)}
    rows, columns, counts = [], [], []
    for i, phrases in enumerate(documents):
        for term, count in Counter(t for t in phrases if t in column).items():
            rows.append(i)
            columns.append(column[term])
            counts.append(count)
    shape = (len(papers), len(terms))
    matrix = TfidfTransformer(sublinear_tf=True).fit_transform(
        csr_matrix((counts, (rows, columns)), shape=shape, dtype=float)
    )
    present = (matrix > 0).astype(float)
    lengths = np.array([t.count(" ") + 1 for t in terms])
    count = max(1, min(max_themes * 2, round(len(papers) ** 0.5 * 1.2)))
    labels = _cluster(matrix, count)
    themes = []
    for label in sorted(set(labels)):
        members = [i for i, found in enumerate(labels) if found == label]
        if len(members) < 2:
            continue
        names = _names(members, matrix, lengths, terms, present)
        # a theme's papers are its cluster's papers that carry one of the phrases naming it
        group = [papers[i] for i in members if any(present[i, column[n]] for n in names)]
        if len(group) < 2:
            continue
        themes.append(_theme(names, group))
    themes.sort(key=lambda t: (-t.crosses, -len(t.paper_ids), t.title))
    return themes[:max_themes]


def _theme(names: list[str], group: list[Paper]) -> AutoTheme:
    topics = sorted({t for p in group for t in topics_of(p)})
    sources = sorted({p.source_label for p in group})
    crossing = []
    if len(topics) > 1:
        crossing.append(f"across the topics {', '.join(topics)}")
    if len(sources) > 1:
        crossing.append(f"from {', '.join(sources)}")
    summary = f"{len(group)} papers share {', '.join(f'“{n}”' for n in names)}"
    summary += f" — {' and '.join(crossing)}." if crossing else "."
    title = " · ".join(names)
    return AutoTheme(title, summary, tuple(p.paper_id for p in group), bool(crossing))


def most_central(theme_ids: Counter[str], papers: Sequence[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: -theme_ids[p.paper_id])
