"""One module per kind of source, each turning bytes into Papers; this registry says which
fetches a radar asks for and runs them: arXiv's one after another (its API is rate limited), every
other source at the same time. Adding a source kind: a module here and one line in
`planned_sources`.

Each fetch has its own deadline (SOURCE_DEADLINE_SECONDS, retries included): its Http stops
there, and should a fetch still hang, it is abandoned and reported, so the sources that finished
are stored whatever one hostile or dead server does."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date

from ..http import Http
from ..models import Endpoints, Radar, SourceResult
from ..text import one_line
from . import biorxiv, crossref
from .arxiv import arxiv_fetches
from .caps import cap_result
from .feeds import fetch_feed
from .plan import Fetch
from .validators import Validators

WORKERS = 16  # fetches of different sources at the same time
GRACE_SECONDS = 2.0  # past its deadline a fetch may still be returning; then it is abandoned
log = logging.getLogger(__name__)

__all__ = ["Fetch", "collect", "plan_lanes", "planned_sources", "run_lanes", "run_safely"]


def planned_sources(
    radar: Radar, endpoints: Endpoints, day: date, validators: Validators
) -> list[Fetch]:
    """Every non-arXiv fetch, in radar.yaml's order."""
    fetches = [
        Fetch(f.name, lambda http, f=f: fetch_feed(f, http, day, validators)) for f in radar.feeds
    ]
    fetches += [
        Fetch(
            biorxiv.source_name(p),
            lambda http, p=p: biorxiv.fetch_preprints(p, http, endpoints, day),
        )
        for p in radar.preprints
    ]
    fetches += [
        Fetch(
            crossref.source_name(j),
            lambda http, j=j: crossref.fetch_journal(j, radar.crossref, http, endpoints, day),
        )
        for j in radar.crossref.journals
    ]
    return fetches


def run_safely(fetch: Fetch, http: Http) -> SourceResult:
    """A bug in one source's code is that source's failure, never the night's; whatever it
    returns is held to the per-field caps."""
    started = time.monotonic()
    try:
        return cap_result(fetch.run(http), http.limits)
    except Exception as err:  # noqa: BLE001 - the boundary between one source and the night
        log.exception("%s failed", fetch.name)
        reason = (
            f"internal error ({type(err).__name__}: {one_line(str(err))[:100]}); please report it"
        )
        return SourceResult(fetch.name, error=reason, seconds=time.monotonic() - started)


def plan_lanes(
    radar: Radar, endpoints: Endpoints, day: date, validators: Validators
) -> list[list[Fetch]]:
    """The night's one fetch plan: arXiv's fetches in one lane, one after another (its API is
    rate limited), then every other source in a lane of its own, in radar.yaml's order."""
    lanes = [arxiv_fetches(radar, endpoints, day)]
    return lanes + [[fetch] for fetch in planned_sources(radar, endpoints, day, validators)]


class _Lanes:
    """Fetches run in lanes (a lane's fetches one after another, lanes at once), each lane in a
    daemon thread, so a fetch that never returns cannot keep the process alive either."""

    def __init__(self, lanes: Sequence[Sequence[Fetch]], make_http: Callable[[], Http]) -> None:
        self.lanes = [list(lane) for lane in lanes]
        self.make_http = make_http
        self.finished: queue.Queue[tuple[int, int | None, SourceResult | None]] = queue.Queue()
        self.running: dict[int, tuple[int, float]] = {}  # lane → (fetch, when it must be done)
        self.abandoned: set[int] = set()
        self.released: set[int] = set()
        self.lock = threading.Lock()
        self.slots = threading.Semaphore(WORKERS)

    def start(self) -> None:
        for number in range(len(self.lanes)):
            name = f"source lane {number}"
            threading.Thread(target=self._run, args=(number,), daemon=True, name=name).start()

    def _run(self, number: int) -> None:
        self.slots.acquire()
        try:
            for index, fetch in enumerate(self.lanes[number]):
                http = self.make_http()
                http.start_clock()
                with self.lock:
                    due = time.monotonic() + http.limits.source_seconds + GRACE_SECONDS
                    self.running[number] = (index, due)
                result = run_safely(fetch, http)
                with self.lock:
                    self.running.pop(number, None)
                self.finished.put((number, index, result))
        finally:
            with self.lock:
                self._release(number)
            self.finished.put((number, None, None))

    def _release(self, number: int) -> None:
        """Give the lane's slot back, once (the caller holds the lock)."""
        if number not in self.released:
            self.released.add(number)
            self.slots.release()

    def overdue(self) -> list[tuple[int, int]]:
        """Lanes whose running fetch is past its deadline and grace: (lane, fetch), now
        abandoned."""
        now = time.monotonic()
        with self.lock:
            late = [
                (lane, index)
                for lane, (index, due) in self.running.items()
                if due <= now and lane not in self.abandoned
            ]
            for lane, _ in late:
                self.abandoned.add(lane)
                self._release(lane)  # a hung fetch does not hold a slot others wait for
        return late

    def next_due(self) -> float:
        with self.lock:
            dues = [due for lane, (_, due) in self.running.items() if lane not in self.abandoned]
        return min(dues, default=time.monotonic() + 1.0)


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
    return run_lanes(plan_lanes(radar, endpoints, day, validators), make_http, progress)


def run_lanes(
    lanes: Sequence[Sequence[Fetch]],
    make_http: Callable[[], Http],
    progress: Callable[[SourceResult], None] = lambda result: None,
) -> list[SourceResult]:
    """Each lane's fetches one after another, the lanes at once; results in lane order. A fetch
    still running past its deadline is reported as abandoned (and the rest of its lane as not
    run), and this returns without waiting for it."""
    runner = _Lanes(lanes, make_http)
    results: dict[tuple[int, int], SourceResult] = {}
    open_lanes = set(range(len(lanes)))
    runner.start()
    while open_lanes:
        try:
            number, index, result = runner.finished.get(
                timeout=max(0.05, runner.next_due() - time.monotonic())
            )
        except queue.Empty:
            for number, index in runner.overdue():
                if number not in open_lanes:
                    continue
                open_lanes.discard(number)
                for later, result in enumerate(_abandoned(lanes[number], index), start=index):
                    results[(number, later)] = result
                    progress(result)
            continue
        if number not in open_lanes:
            continue  # a late answer of an abandoned fetch: reported already
        if index is None or result is None:
            open_lanes.discard(number)
            continue
        results[(number, index)] = result
        progress(result)
    return [results[key] for key in sorted(results)]


def _abandoned(lane: Sequence[Fetch], index: int) -> list[SourceResult]:
    """The report rows of a lane given up at its fetch `index`."""
    stuck = lane[index]
    reason = (
        "abandoned: not done at its deadline (SOURCE_DEADLINE_SECONDS); "
        "its papers wait for the next night"
    )
    rows = [SourceResult(stuck.name, error=reason)]
    for later in lane[index + 1 :]:
        rows.append(SourceResult(later.name, error=f"not run: {stuck.name} before it hung"))
    return rows
