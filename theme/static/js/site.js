// AcademicHub: author filter, shuffle, abstracts and search on first use. Every page works
// without it; this module only adds to what the links already do (README, "Without JavaScript").
import { t } from "./messages.js";

document.documentElement.classList.add("js");

// --- Search (search.js) loads on first use: focus or submit of the form, or at once on the
// search page; pages that never search never download it.
function startSearch() {
  const form = document.getElementById("search");
  if (!form) return;
  let loading = null;
  const load = () => {
    loading ??= import(new URL(form.dataset.script, window.location.href).href).then((search) => {
      form.removeEventListener("submit", submitted);
      search.openSearch(form);
    });
    return loading;
  };
  function submitted(event) {
    event.preventDefault();
    load().catch(() => form.submit());  // unreachable script: the search page
  }
  if (document.body.dataset.page === "search") {
    load().catch(() => {});
    return;
  }
  const input = document.getElementById("search-input");
  input.addEventListener("focus", () => load().catch(() => {}), { once: true });
  form.addEventListener("submit", submitted);
}

// --- Author names, matched as the radar matches them (pipeline/match.py: same_author):
// family names equal, given names agreeing (an initial agrees with a full name), accents,
// case and "Family, Given" order ignored.
function fold(text) {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

export function normaliseAuthor(name) {
  if (name.includes(",")) {
    const [family, ...given] = name.split(",");
    name = `${given.join(" ")} ${family}`;
  }
  const parts = fold(name.replace(/\./g, ". ")).split(" ").filter(Boolean);
  return parts.length ? [parts[parts.length - 1], parts.slice(0, -1)] : ["", []];
}

export function sameAuthor(watched, candidate) {
  return namesAgree(normaliseAuthor(watched), normaliseAuthor(candidate));
}

// sameAuthor on names already normalised (pipeline/names.py: names_agree).
export function namesAgree([familyA, givenA], [familyB, givenB]) {
  if (!familyA || familyA !== familyB || (givenA.length > 0) !== (givenB.length > 0)) return false;
  for (let i = 0; i < Math.min(givenA.length, givenB.length); i++) {
    const a = givenA[i], b = givenB[i];
    if (a.length === 1 || b.length === 1 ? a[0] !== b[0] : a !== b) return false;
  }
  return true;
}

const cards = () => [...document.querySelectorAll("#cards .card")];

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// The watched author a name is, from the list of watched authors on the page: its page and
// how many papers it has in the archive.
function watchedAuthor(author) {
  const links = [...document.querySelectorAll(".watched a[data-author]")];
  return links.find((link) => sameAuthor(link.dataset.author, author)) || null;
}

// How many papers of the archive have an author the radar would take for `name`, as
// pipeline/site/author_index.archive_count counts them: the spellings under its family name that
// agree, each a count of papers or (when it shares papers with another) their numbers.
export function countInBucket(bucket, name) {
  const wanted = normaliseAuthor(name);
  let alone = 0;
  const shared = new Set();
  for (const [given, papers] of Object.entries(bucket[wanted[0]] || {})) {
    if (!namesAgree(wanted, [wanted[0], given.split(" ").filter(Boolean)])) continue;
    if (typeof papers === "number") alone += papers;
    else for (const number of papers) shared.add(number);
  }
  return alone + shared.size;
}

// "N papers in the archive · " before the search link, once the one bucket of the author index
// holding the name has come (fetched only now: a chip for an author the radar does not watch).
async function writeArchiveCount(into, author) {
  const chips = document.getElementById("chips");
  if (!chips?.dataset.authorIndex) return;
  const folder = new URL(chips.dataset.authorIndex, window.location.href).href;
  const { fetchBucket } = await import("./buckets.js");
  const count = countInBucket(await fetchBucket(folder, normaliseAuthor(author)[0]), author);
  if (!count || !into.isConnected) return;
  into.textContent = `${count === 1 ? t("1 paper in the archive") : t("{count} papers in the archive", { count })} · `;
}

function archiveLink(author) {
  const watched = watchedAuthor(author);
  if (watched) {
    const link = el("a", "", t("all {count} in the archive →", { count: watched.dataset.count }));
    link.href = watched.href;
    return link;
  }
  const form = document.getElementById("search");
  const link = el("a", "", t("search the archive for {name} →", { name: author }));
  const url = new URL(form ? form.action : "search/", window.location.href);
  url.searchParams.set("q", author);
  link.href = url.href;
  const count = el("span", "archive-count");
  writeArchiveCount(count, author).catch(() => {});  // no index, no count: the link still works
  const both = document.createDocumentFragment();
  both.append(count, link);
  return both;
}

function renderChip(author, shown, total) {
  const chips = document.getElementById("chips");
  if (!chips) return;
  chips.textContent = "";
  if (!author) return;
  const chip = el("span", "chip", t("Authors: {name}", { name: author }));
  const clear = el("button", "", "×");
  clear.type = "button";
  clear.setAttribute("aria-label", t("Clear author filter {name}", { name: author }));
  clear.addEventListener("click", () => setAuthor(""));
  chip.append(clear);
  const note = el("p", "chip-note", shown
    ? t("{shown} of {total} papers on this page", { shown, total })
    : t("No paper on this page is by {name}.", { name: author }));
  note.append(" · ", archiveLink(author));
  chips.append(chip, note);
}

// The filter survives "Older →": page links carry ?author= (and ?seed=) along.
function carryParams(params) {
  for (const link of document.querySelectorAll(".pagination a[href]")) {
    const url = new URL(link.href);
    for (const name of ["author", "seed"]) {
      if (params.get(name)) url.searchParams.set(name, params.get(name));
      else url.searchParams.delete(name);
    }
    link.href = url.href;
  }
}

function applyAuthor(author) {
  let shown = 0;
  for (const card of cards()) {
    const names = (card.dataset.authors || "").split("|");
    card.hidden = Boolean(author) && !names.some((name) => sameAuthor(author, name));
    shown += card.hidden ? 0 : 1;
  }
  // a day heading with no card left under it goes too
  for (const head of document.querySelectorAll("#cards .day-head")) {
    let next = head.nextElementSibling, any = false;
    for (; next && !next.matches(".day-head"); next = next.nextElementSibling) any ||= !next.hidden;
    head.hidden = !any || document.getElementById("cards").classList.contains("shuffled");
  }
  renderChip(author, shown, cards().length);
  carryParams(new URLSearchParams(window.location.search));
}

function setParam(name, value) {
  const url = new URL(window.location.href);
  if (value) url.searchParams.set(name, value);
  else url.searchParams.delete(name);
  window.history.pushState(null, "", url);
}

function setAuthor(author) {
  setParam("author", author);
  applyAuthor(author);
}

// --- Shuffle: a seeded order written to the URL (?seed=N, shareable: the same seed gives the
// same order), undone by "Newest first". Each card keeps its own number.
export function seededRandom(seed) {  // mulberry32
  return () => {
    seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function order(seed) {
  const list = document.getElementById("cards");
  const items = cards().sort((a, b) => a.dataset.number - b.dataset.number);
  if (seed) {
    const random = seededRandom(Number(seed));
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
  }
  list.classList.toggle("shuffled", Boolean(seed));
  if (seed) list.append(...items);
  else {  // back under their day headings
    const heads = new Map([...list.querySelectorAll(".day-head")].map((h) => [h.dataset.day, h]));
    for (const card of items) {
      const head = heads.get(card.querySelector("time")?.getAttribute("datetime"));
      heads.delete(card.querySelector("time")?.getAttribute("datetime"));
      list.append(...(head ? [head] : []), card);
    }
  }
  const button = document.getElementById("shuffle-undo");
  if (button) button.hidden = !seed;
  const note = document.getElementById("shuffle-note");
  if (note) note.textContent = seed ? t("Shuffled: each card keeps its number in the newest-first order.") : "";
  applyAuthor(new URLSearchParams(window.location.search).get("author") || "");
}

function startShuffle(params) {
  const shuffle = document.getElementById("shuffle");
  if (!shuffle) return;
  const undo = el("button", "button quiet", t("Newest first"));
  undo.type = "button";
  undo.id = "shuffle-undo";
  const note = el("p", "shuffle-note");
  note.id = "shuffle-note";
  note.setAttribute("role", "status");
  shuffle.after(undo, note);
  shuffle.hidden = false;
  shuffle.addEventListener("click", () => {
    const seed = String(1 + Math.floor(Math.random() * 2 ** 31));
    setParam("seed", seed);
    order(seed);
  });
  undo.addEventListener("click", () => {
    setParam("seed", "");
    order("");
  });
  order(params.get("seed") || "");
}

// --- Abstracts are whole in the page (readable without JavaScript); with it, they are clamped
// to three lines with a button to expand, shown only where the text is longer than that.
function clampAbstracts() {
  for (const abstract of document.querySelectorAll("#cards .abstract:not(details .abstract)")) {
    abstract.classList.add("clamped");
    const button = abstract.nextElementSibling;
    if (!button || !button.classList.contains("expand")) continue;
    if (abstract.scrollHeight <= abstract.clientHeight + 1) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      const open = abstract.classList.toggle("clamped") === false;
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? t("Show less") : t("Show full abstract");
    });
  }
}

function startAuthors(params) {
  document.addEventListener("click", (event) => {
    const name = event.target.closest("[data-author]");
    if (!name || !document.getElementById("cards")?.querySelector("[data-authors]")) return;
    event.preventDefault();
    setAuthor(name.dataset.author);
  });
  // names without a page become buttons-as-links to the filter (spans without JavaScript)
  for (const span of document.querySelectorAll("#cards span.author[data-author]")) {
    const link = el("a", "author", span.textContent);
    link.dataset.author = span.dataset.author;
    const url = new URL(window.location.href);
    url.searchParams.set("author", span.dataset.author);
    link.href = url.href;
    span.replaceWith(link);
  }
  window.addEventListener("popstate", () => {
    const now = new URLSearchParams(window.location.search);
    order(now.get("seed") || "");
  });
  applyAuthor(params.get("author") || "");
}

// New-since-last-visit marks and copy-BibTeX (marks.js) where the page has cards or BibTeX;
// loaded after the page is usable, and the page works without it.
function startMarks() {
  if (!document.querySelector("#cards .card, .bibtex")) return;
  import(new URL("marks.js", import.meta.url).href)
    .then((marks) => marks.start(document))
    .catch(() => {});
}

function start() {
  clampAbstracts();
  startSearch();
  startMarks();
  const params = new URLSearchParams(window.location.search);
  if (document.querySelector("#cards [data-authors]")) {
    startAuthors(params);
    startShuffle(params);
  }
}

start();  // a module runs after the document is parsed
