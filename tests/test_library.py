"""The reader's library: BibTeX, RIS, CSL-JSON and Zotero read, broken entries named, ids
completed once from arXiv and Crossref over 127.0.0.1 and kept for offline nights."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from daily_papers import real_day
from replay import FIXTURES, ReplayServer, Reply, fixture_bytes, xml

from pipeline.archive import read_existing
from pipeline.archive.store import store_papers
from pipeline.config import RadarError, parse_radar
from pipeline.feedback import Feedback, save_applied
from pipeline.http import Http
from pipeline.library import (
    LibrarySources,
    load_library,
    parse_bibtex,
    parse_csl_json,
    parse_ris,
)
from pipeline.lookup import make_lookup, read_zotero
from pipeline.models import Endpoints, LibrarySettings, ZoteroLibrary

LIBRARY = FIXTURES / "library"
PHOTON = "Photon: Federated LLM Pre-Training"
DILOCO = "DiLoCo: Distributed Low-Communication Training of Language Models"


def test_bibtex_with_a_broken_entry_still_loads_the_rest_and_names_it() -> None:
    parsed = parse_bibtex((LIBRARY / "fomoe-library.bib").read_text(), "fomoe-library.bib")
    assert [(p.key, p.title) for p in parsed.papers] == [
        ("arxiv:2411.02908", PHOTON),
        ("arxiv:2311.08105", DILOCO),
    ]
    photon = parsed.papers[0]
    assert photon.authors[:2] == ("Lorenzo Sani", "Alex Iacob")
    assert photon.abstract.startswith("Scaling large language models (LLMs) demands")
    assert str(photon.added) == "2026-05-30" and photon.origin == "fomoe-library.bib:3"
    assert parsed.problems == (
        "fomoe-library.bib:13: entry 'iacob2025broken' skipped: malformed",
        "fomoe-library.bib:30: entry 'sani2024photon' skipped: its key is given twice",
        "fomoe-library.bib:26: entry 'reading2026' skipped: no title, arXiv id or DOI",
    )


def test_ris_records_are_parsed_one_by_one() -> None:
    parsed = parse_ris((LIBRARY / "more.ris").read_text(), "more.ris")
    assert [(p.key, p.title, p.origin) for p in parsed.papers] == [
        (
            "arxiv:2606.19025",
            "FoMoE: Breaking the Full-Replica Barrier with a Federation of MoEs",
            "more.ris:1",
        ),
        ("arxiv:2606.18001", "Looped World Models", "more.ris:16"),
    ]
    assert parsed.papers[0].authors == ("Zeyu Cao", "Nicholas D. Lane")
    assert str(parsed.papers[0].added) == "2026-06-20"
    assert parsed.problems == ("more.ris:11: record skipped: no title, arXiv id or DOI",)


def test_csl_json_items_and_a_bad_one() -> None:
    parsed = parse_csl_json((LIBRARY / "more.csl.json").read_text(), "more.csl.json")
    assert [p.key for p in parsed.papers] == [
        "arxiv:2411.02908",
        "doi:10.1093/obo/9780199830060-0238",
    ]
    assert parsed.papers[0].authors == ("Lorenzo Sani", "Nicholas D. Lane")
    assert parsed.problems == ("more.csl.json[1]: item skipped: not an object",)
    assert parse_csl_json("{oops", "x.json").problems[0].startswith("x.json: not JSON")


def _radar(tmp_path: Path, library: str) -> Path:
    for name in ("fomoe-library.bib", "more.ris", "more.csl.json"):
        shutil.copy(LIBRARY / name, tmp_path / name)
    path = tmp_path / "radar.yaml"
    path.write_text(f"topics: [{{name: T, keywords: [x]}}]\nlibrary:\n{library}")
    return path


def _endpoints(server: ReplayServer) -> Endpoints:
    return Endpoints(
        arxiv_api_url=f"{server.url}/api/query",
        arxiv_api_delay=0.0,
        crossref_api_url=f"{server.url}/",
        zotero_api_url=server.url,
        timeout=5.0,
    )


def _http() -> Http:
    return Http(user_agent="test", timeout=5.0, retries=0)


def test_ids_are_completed_once_from_arxiv_and_crossref_then_work_offline(
    tmp_path: Path,
) -> None:
    radar = parse_radar(
        "topics: [{name: T, keywords: [x]}]\nlibrary:\n"
        "  papers: [arxiv:0808.05394, arxiv:1707.08567, doi:10.1093/obo/9780199830060-0238]\n",
        str(tmp_path / "radar.yaml"),
    )
    content = tmp_path / "content"
    with ReplayServer() as server:
        server.routes["/api/query"] = xml(
            "arxiv-api/id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.xml"
        )
        server.routes["/works/10.1093/obo/9780199830060-0238"] = Reply(
            200, fixture_bytes("crossref/work_10.1093_obo_9780199830060-0238.json")
        )
        sources = LibrarySources(tmp_path, content, make_lookup(_endpoints(server), _http))
        library = load_library(radar.library, sources)
        assert len(server.requests_to("/api/query")) == 1
        asked = server.requests_to("/api/query")[0].query["id_list"]
        assert asked == ["0808.05394,1707.08567"]
        again = load_library(radar.library, sources)  # the cache answers: no new request
        assert len(server.requests) == 2
    titles = {p.key: p.title for p in library.papers}
    assert titles == {
        "arxiv:1707.08567": "Proceedings of Workshop AEW10: Concepts in Information Theory and "
        "Communications",
        "doi:10.1093/obo/9780199830060-0238": "Communicating Ecology",
    }
    ecology = next(p for p in library.papers if p.key.startswith("doi:"))
    assert ecology.abstract.startswith("Communication is perhaps the most important")
    assert "library: arXiv does not know arxiv:0808.05394; check the id" in library.problems
    assert again.fingerprint == library.fingerprint
    state = json.loads((content / "state/library.json").read_text())
    assert state["lookups"]["arxiv:0808.05394"]["title"] == ""  # remembered as missing
    offline = load_library(radar.library, LibrarySources(tmp_path, content, lookup=None))
    assert [p.title for p in offline.papers] == [p.title for p in library.papers]


def test_lookup_that_cannot_connect_is_a_note_and_tried_again(tmp_path: Path) -> None:
    settings = LibrarySettings(papers=("arxiv:1707.08567",))
    with ReplayServer() as server:
        endpoints = _endpoints(server)
    sources = LibrarySources(tmp_path, tmp_path / "content", make_lookup(endpoints, _http))
    library = load_library(settings, sources)
    assert library.papers == ()
    assert any("arXiv lookup of 1 ids failed" in p for p in library.problems)
    assert any("arxiv:1707.08567 has no title" in p for p in library.problems)
    assert not (tmp_path / "content/state/library.json").exists()


def test_files_of_every_kind_merge_into_one_library(tmp_path: Path) -> None:
    radar = parse_radar(
        _radar(
            tmp_path,
            "  bibtex: [fomoe-library.bib]\n  ris: [more.ris]\n"
            "  csl_json: [more.csl.json, gone.json]\n",
        ).read_text(),
        str(tmp_path / "radar.yaml"),
    )
    library = load_library(radar.library, LibrarySources(tmp_path, tmp_path / "content"))
    assert [p.key for p in library.papers] == [
        "arxiv:2411.02908",  # in the BibTeX and the CSL-JSON file: one paper
        "arxiv:2311.08105",
        "arxiv:2606.19025",
        "arxiv:2606.18001",
        "doi:10.1093/obo/9780199830060-0238",
    ]
    photon = library.papers[0]
    assert photon.origin == "fomoe-library.bib:3" and photon.abstract  # the BibTeX's abstract
    assert any("gone.json not found" in p for p in library.problems)


def test_zotero_collection_over_loopback(tmp_path: Path) -> None:
    with ReplayServer() as server:
        server.routes["/users/436/collections"] = Reply(
            200,
            fixture_bytes("zotero/collections_doc.json"),
            {"Content-Type": "application/json", "Total-Results": "15"},
        )
        server.routes["/users/436/collections/9KH9TNSJ/items/top"] = Reply(
            200,
            fixture_bytes("zotero/items_doc.json"),
            {"Content-Type": "application/json", "Total-Results": "20"},
        )
        items = read_zotero(ZoteroLibrary("user:436", "Sherlock Holmes"), "KEY", _endpoints(server))
        sent = server.requests_to("/users/436/collections/9KH9TNSJ/items/top")[0]
        assert sent.headers.get("Authorization") == "Bearer KEY"
    settings = LibrarySettings(zotero=ZoteroLibrary("user:436", "Sherlock Holmes"))
    content = tmp_path / "content"
    library = load_library(settings, LibrarySources(tmp_path, content, zotero=lambda: items))
    titles = [p.title for p in library.papers]
    assert "Biscrolling Nanotube Sheets and Functional Guests into Yarns" in titles
    assert "Sherlock Holmes in Babylon" in titles
    biscrolling = next(p for p in library.papers if p.title.startswith("Biscrolling"))
    assert biscrolling.key == "doi:10.1126/science.1195912"
    assert str(biscrolling.added) == "2011-01-13" and biscrolling.authors[0] == "Márcio D. Lima"
    # a fresh clone without ZOTERO_API_KEY ranks with the copy kept in content/state
    offline = load_library(settings, LibrarySources(tmp_path, content, zotero=None))
    assert [p.key for p in offline.papers] == [p.key for p in library.papers]


def test_unknown_zotero_collection_names_the_ones_there() -> None:
    with ReplayServer() as server:
        server.routes["/users/436/collections"] = Reply(
            200, fixture_bytes("zotero/collections_doc.json"), {"Content-Type": "application/json"}
        )
        from pipeline.library import ZoteroError

        with pytest.raises(ZoteroError, match="no collection 'Radar' \\(there are: Digital"):
            read_zotero(ZoteroLibrary("user:436", "Radar"), "KEY", _endpoints(server))


def test_feedback_adds_papers_to_the_library_and_to_not_interested(tmp_path: Path) -> None:
    """👍 and ☆ on the site (pipeline/feedback.py's file) join the library, with the archived
    article's text; 👎 joins not_interested."""
    content = tmp_path / "content"
    store_papers(content, real_day()[:2])
    liked, disliked = real_day()[:2]
    save_applied(
        content,
        [
            Feedback(7, liked.paper_id, "like", "owner", "2026-06-24"),
            Feedback(8, disliked.paper_id, "dislike", "owner", "2026-06-24"),
        ],
    )
    settings = LibrarySettings(not_interested=("arxiv:2606.18001",))
    library = load_library(settings, LibrarySources(tmp_path, content, archived=archived(content)))
    assert [(p.key, p.title, p.origin) for p in library.papers] == [
        (liked.paper_id, liked.title, "feedback")
    ]
    assert library.papers[0].abstract == liked.abstract
    assert library.not_interested == ("arxiv:2606.18001", disliked.paper_id)


def archived(content: Path):
    def find(paper_id: str):
        found = read_existing(content, paper_id)
        return found[0] if found else None

    return find


def test_library_keys_in_radar_yaml_are_checked() -> None:

    with pytest.raises(RadarError, match=r"radar.yaml:3: library.papers\[0\]: 'arXiv 2411'"):
        parse_radar("topics: [{name: T, keywords: [x]}]\nlibrary:\n  papers: [arXiv 2411]\n")
    with pytest.raises(RadarError, match="library.zotero.library: 'me': write user:123456"):
        parse_radar("topics: [{name: T, keywords: [x]}]\nlibrary:\n  zotero: {library: me}\n")
    with pytest.raises(RadarError, match="library.suggest: suggestions need your papers"):
        parse_radar("topics: [{name: T, keywords: [x]}]\nlibrary:\n  suggest: 3\n")
    radar = parse_radar(
        "topics: [{name: T, keywords: [x]}]\nlibrary:\n  bibtex: [a.bib]\n  suggest: 4\n"
        "  threshold: 0.7\n  not_interested: [arxiv:2606.18001]\n"
    )
    assert radar.library == LibrarySettings(
        bibtex=("a.bib",), suggest=4, threshold=0.7, not_interested=("arxiv:2606.18001",)
    )


def test_a_library_file_may_be_one_name_as_the_readme_writes_it() -> None:
    """`bibtex: library.bib` is one file (a name list's single string is refused elsewhere)."""
    radar = parse_radar(
        "topics: [{name: T, keywords: [x]}]\nlibrary:\n  bibtex: library.bib\n"
        "  ris: [more.ris, other.ris]\n  csl_json: my library, 2026.json\n"
    )
    assert radar.library.bibtex == ("library.bib",)
    assert radar.library.ris == ("more.ris", "other.ris")
    assert radar.library.csl_json == ("my library, 2026.json",)  # a comma stays in the name
    with pytest.raises(RadarError, match=r"radar.yaml:3: library.bibtex: expected a list"):
        parse_radar("topics: [{name: T, keywords: [x]}]\nlibrary:\n  bibtex: {a: b}\n")
    authors = "topics: [{name: T, keywords: [x]}]\nauthors: Zeyu Cao, Ada Lovelace\n"
    with pytest.raises(RadarError, match=r"write authors: \[Zeyu Cao, Ada Lovelace\]"):
        parse_radar(authors)
