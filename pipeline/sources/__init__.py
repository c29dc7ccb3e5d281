"""One module per kind of source, each turning bytes into Papers; this registry says which
fetches a radar asks for and runs them: arXiv in one thread (its API is rate limited, so
serial), every other source at the same time. Adding a source kind: a module here and one line
in `planned_sources`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date

from ..http import Http
from ..models import Endpoints, Radar, SourceResult
from ..text import one_line
from . import biorxiv, crossref
from .arxiv import fetch_arxiv, planned_fetches
from .feeds import fetch_feed
from .validators import Validators

WORKERS = 16
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fetch:
    name: str
    run: Callable[[Http], SourceResult]


def planned_sources(radar: Radar, endpoints: Endpoints, day: date,
                    validators: Validators) -> list[Fetch]:  # fmt: skip
    """Every non-arXiv fetch, in radar.yaml's order."""
    fetches = [Fetch(f.name, lambda http, f=f: fetch_feed(f, http, day, validators))
               for f in radar.feeds]  # fmt: skip
    fetches += [Fetch(biorxiv.source_name(p),
                      lambda http, p=p: biorxiv.fetch_preprints(p, http, endpoints, day))
                for p in radar.preprints]  # fmt: skip
    fetches += [Fetch(crossref.source_name(j), lambda http, j=j: crossref.fetch_journal(
                          j, radar.crossref, http, endpoints, day))
                for j in radar.crossref.journals]  # fmt: skip
    return fetches


def run_safely(fetch: Fetch, http: Http) -> SourceResult:
    """A bug in one source's code is that source's failure, never the night's."""
    started = time.monotonic()
    try:
        return fetch.run(http)
    except Exception as err:  # noqa: BLE001 - the boundary between one source and the night
        log.exception("%s failed", fetch.name)
        reason = (
            f"internal error ({type(err).__name__}: {one_line(str(err))[:100]}); please report it"
        )
        return SourceResult(fetch.name, error=reason, seconds=time.monotonic() - started)


def count_fetches(radar: Radar) -> int:
    return (len(planned_fetches(radar)) + len(radar.feeds) + len(radar.preprints)
            + len(radar.crossref.journals))  # fmt: skip


def collect(
    radar: Radar,
    make_http: Callable[[], Http],
    endpoints: Endpoints,
    day: date,
    validators: Validators,
    progress: Callable[[SourceResult], None] = lambda result: None,
) -> list[SourceResult]:
    """All sources of the night. Results come back in a stable order (arXiv first, then the
    radar's order), whatever order they finished in; `progress` sees each as it finishes."""
    fetches = planned_sources(radar, endpoints, day, validators)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        arxiv_results = pool.submit(fetch_arxiv, radar, make_http(), endpoints, day, progress)
        futures = [pool.submit(run_safely, fetch, make_http()) for fetch in fetches]
        for future in as_completed(futures):
            progress(future.result())
        return arxiv_results.result() + [future.result() for future in futures]
