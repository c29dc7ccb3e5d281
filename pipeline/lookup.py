"""The network side of the library: arXiv and Crossref lookups by id, and the Zotero web API.

Each is bounded in time (the endpoints' timeout) and turns every failure into a problem line or
a ZoteroError; library.py caches what they find, so each id is asked for once."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import quote

import arxiv
import httpx
import requests
from pyzotero import zotero, zotero_errors

from .http import Http, SourceError, network_error_reason
from .library import Found, ZoteroError
from .models import CrossrefJournal, Endpoints, ZoteroLibrary
from .sources.arxiv import api_result_to_paper, make_api_client
from .sources.crossref import work_to_paper

ARXIV_BATCH = 100  # ids per arXiv API request
ZOTERO_MAX_ITEMS = 5_000
ANY_DAY = date(2000, 1, 1)  # Crossref's parser stamps a day on the Paper; only its text is kept


def lookup_arxiv(ids: list[str], endpoints: Endpoints) -> tuple[dict[str, Found], list[str]]:
    """Title, abstract and authors of arXiv papers, asked in batches of 100 ids. An id arXiv does
    not know is remembered as missing, so it is not asked for every night."""
    found: dict[str, Found] = {}
    problems: list[str] = []
    client = make_api_client(endpoints, ARXIV_BATCH)
    for start in range(0, len(ids), ARXIV_BATCH):
        batch = ids[start : start + ARXIV_BATCH]
        search = arxiv.Search(id_list=[i.removeprefix("arxiv:") for i in batch])
        try:
            for result in client.results(search):
                paper = api_result_to_paper(result)
                found[paper.paper_id] = Found(paper.title, paper.abstract, paper.authors)
        except arxiv.HTTPError as err:
            problems.append(f"library: arXiv lookup of {len(batch)} ids: HTTP {err.status}")
            continue
        except (requests.RequestException, arxiv.UnexpectedEmptyPageError) as err:
            reason = network_error_reason(err)
            problems.append(
                f"library: arXiv lookup of {len(batch)} ids failed ({reason}); "
                "tried again next night"
            )
            continue
        for paper_id in batch:
            if paper_id not in found:
                found[paper_id] = Found()
                problems.append(f"library: arXiv does not know {paper_id}; check the id")
    return found, problems


def lookup_dois(
    dois: list[str], endpoints: Endpoints, http: Http
) -> tuple[dict[str, Found], list[str]]:
    """Title, abstract and authors of works from Crossref, one request per DOI."""
    found: dict[str, Found] = {}
    problems: list[str] = []
    for key in dois:
        doi = key.removeprefix("doi:")
        url = f"{endpoints.crossref_api_url}works/{quote(doi, safe='/')}"
        try:
            body = json.loads(http.get(url).body)
            work = body["message"]
            paper = work_to_paper(work, CrossrefJournal("", "Crossref"), ANY_DAY)
        except SourceError as err:
            if "HTTP 404" in str(err):
                found[key] = Found()
                problems.append(f"library: Crossref does not know {key}; check the DOI")
            else:
                problems.append(
                    f"library: Crossref lookup of {key} failed ({err}); tried again next night"
                )
            continue
        except (ValueError, KeyError, TypeError) as err:
            problems.append(f"library: Crossref's answer for {key} is not a work ({err})")
            continue
        found[key] = Found(paper.title, paper.abstract, paper.authors)
    return found, problems


def make_lookup(endpoints: Endpoints, http_factory: Callable[[], Http]):
    """The library's lookup: arXiv ids to the arXiv API, DOIs to Crossref."""

    def lookup(keys: list[str]) -> tuple[dict[str, Found], list[str]]:
        arxiv_ids = [k for k in keys if k.startswith("arxiv:")]
        dois = [k for k in keys if k.startswith("doi:")]
        found, problems = lookup_arxiv(arxiv_ids, endpoints) if arxiv_ids else ({}, [])
        if dois:
            more, more_problems = lookup_dois(dois, endpoints, http_factory())
            found.update(more)
            problems.extend(more_problems)
        return found, problems

    return lookup


def read_zotero(library: ZoteroLibrary, api_key: str, endpoints: Endpoints) -> list[dict[str, Any]]:
    """Every top-level item of the library (or of one collection, by name or key), as the API
    gives them. pyzotero does the paging; its endpoint is ours, so tests replay it locally."""
    kind, _, number = library.library.partition(":")
    client = zotero.Zotero(number, kind, api_key)
    client.endpoint = endpoints.zotero_api_url.rstrip("/")
    try:
        if library.collection:
            collections = client.everything(client.collections())
            wanted = library.collection.casefold()
            match = next(
                (
                    c
                    for c in collections
                    if wanted in (c["key"].casefold(), c["data"]["name"].casefold())
                ),
                None,
            )
            if match is None:
                names = ", ".join(sorted(c["data"]["name"] for c in collections)) or "none"
                raise ZoteroError(f"no collection {library.collection!r} (there are: {names})")
            items = client.everything(client.collection_items_top(match["key"], limit=100))
        else:
            items = client.everything(client.top(limit=100))
    except zotero_errors.PyZoteroError as err:
        raise ZoteroError(f"{type(err).__name__}: {str(err).splitlines()[0][:160]}") from None
    except httpx.HTTPError as err:
        raise ZoteroError(f"cannot reach the Zotero API ({err})") from None
    return [item for item in items[:ZOTERO_MAX_ITEMS] if isinstance(item, dict)]
