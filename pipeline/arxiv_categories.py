"""arXiv's subject categories, as its category taxonomy lists them
(https://arxiv.org/category_taxonomy), for checking radar.yaml: a mistyped category would
otherwise fetch an empty feed every night. Archives (cs, math, …) are feeds too."""

from __future__ import annotations

import difflib

_TAXONOMY = {
    "cs": "AI AR CC CE CG CL CR CV CY DB DC DL DM DS ET FL GL GR GT HC IR IT LG LO MA MM MS NA "
    "NE NI OH OS PF PL RO SC SD SE SI SY",
    "econ": "EM GN TH",
    "eess": "AS IV SP SY",
    "math": "AC AG AP AT CA CO CT CV DG DS FA GM GN GR GT HO IT KT LO MG MP NA NT OA OC PR QA RA "
    "RT SG SP ST",
    "astro-ph": "CO EP GA HE IM SR",
    "cond-mat": "dis-nn mes-hall mtrl-sci other quant-gas soft stat-mech str-el supr-con",
    "nlin": "AO CD CG PS SI",
    "physics": "acc-ph ao-ph app-ph atm-clus atom-ph bio-ph chem-ph class-ph comp-ph data-an "
    "ed-ph flu-dyn gen-ph geo-ph hist-ph ins-det med-ph optics plasm-ph pop-ph soc-ph space-ph",
    "q-bio": "BM CB GN MN NC OT PE QM SC TO",
    "q-fin": "CP EC GN MF PM PR RM ST TR",
    "stat": "AP CO ME ML OT TH",
}
_SINGLE_ARCHIVES = [
    "gr-qc",
    "hep-ex",
    "hep-lat",
    "hep-ph",
    "hep-th",
    "math-ph",
    "nucl-ex",
    "nucl-th",
    "quant-ph",
]

CATEGORIES = frozenset(
    [*_TAXONOMY, *_SINGLE_ARCHIVES]
    + [f"{archive}.{name}" for archive, names in _TAXONOMY.items() for name in names.split()]
)
_BY_FOLDED = {category.casefold(): category for category in CATEGORIES}


def category_problem(value: str, *, combined: bool = False) -> str | None:
    """None when `value` is an arXiv category (or, with `combined`, several joined by '+', as
    arXiv's feeds take them: cs.LG+cs.AI); else what is wrong and the closest category."""
    parts = value.split("+") if combined else [value]
    for part in parts:
        if part in CATEGORIES:
            continue
        right_case = _BY_FOLDED.get(part.casefold())
        if right_case:
            return f"{part!r} is written {right_case!r} (arXiv's categories are case-sensitive)"
        close = difflib.get_close_matches(part, sorted(CATEGORIES), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        example = "; several as one feed: cs.LG+cs.AI" if combined else ""
        return (
            f"{hint}{part!r} is not an arXiv category (https://arxiv.org/category_taxonomy): "
            f"write it like cs.AI, math.OC or astro-ph.GA{example}"
        )
    return None
