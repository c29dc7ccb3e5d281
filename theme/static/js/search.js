// AcademicHub search, on Pagefind's JS API over the index shards listed in pagefind/shards.json
// (pipeline/site/search_index.py). A first query searches only the newest shards; when they
// have no hit the older ones are merged and searched too; filters are fetched when opened and
// count what the query found. An arXiv id, DOI or slug is also looked up exactly (ids/, from
// pipeline/site/id_index.py) and that paper comes first. site.js imports this module on first
// use. One state object per search box; each function below does one thing to it.
import { fetchBucket, fetchJson } from "./buckets.js";
import { t } from "./messages.js";

const PAGE_SIZE = 10;
const EXCERPT_WORDS = 32;
const GROUPS = { source: "Source", topic: "Topic", year: "Year", author: "Watched author" };
const MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");

// --- small helpers -------------------------------------------------------------------------

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(className, text) {
  const node = el("button", className, text);
  node.type = "button";
  return node;
}

const month = (day) => `${MONTHS[Number(day.slice(5, 7)) - 1]} ${day.slice(0, 4)}`;

function period(shards) {  // shards newest first: "Jan 2022 – May 2026"
  const first = month(shards[shards.length - 1].first), last = month(shards[0].last);
  return first === last ? first : `${first} – ${last}`;
}

const count = (n) => n.toLocaleString(document.documentElement.lang || "en");
const plural = (n, noun) => t(n === 1 ? `{n} ${noun}` : `{n} ${noun}s`, { n: count(n) });

// --- exact ids: arXiv id (with or without version), DOI, slug ---------------------------------

// The key pipeline/site/paper_fields.id_keys stores for what a visitor pasted, or "".
export function idKey(query) {
  let q = query.trim().toLowerCase()
    .replace(/^(https?:\/\/)?(www\.)?(arxiv\.org\/(abs|pdf)\/|doi\.org\/|dx\.doi\.org\/)/, "")
    .replace(/^(arxiv|doi):\s*/, "").replace(/\.pdf$/, "");
  const arxiv = q.match(/^(\d{4}\.\d{4,5}|[a-z-]+(\.[a-z]{2})?\/\d{7})(v\d+)?$/);
  if (arxiv) return arxiv[1];
  if (/^10\.\d{4,9}\/\S+$/.test(q)) return q;
  if (/^[a-z0-9]+(-[a-z0-9]+){2,}$/.test(q)) return q;  // a slug: arxiv-2606-19025
  return "";
}

// The page URL of the paper with this id, or "" (ids/index.json says how many buckets).
async function lookupId(state, key) {
  const keys = await fetchBucket(new URL("../ids/", state.manifestUrl).href, key);
  return keys[key] ? new URL(keys[key], new URL("../", state.manifestUrl)).pathname : "";
}

// A result as Pagefind would give it, read from the paper's own page.
async function pageAsResult(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const text = (selector) => page.querySelector(selector)?.textContent.trim() || "";
  return {
    url,
    meta: { title: text("main h1"), source: text("main .badge"), date: text("main time"),
      authors: text("main .authors") },
    abstract: text("main .abstract-full"),
    exact: true,
  };
}

// --- excerpts: from the abstract alone, cut at a sentence or word end ----------------------------

// Pagefind's text of a page escapes < > & and joins its blocks with ". ": the title, the byline
// and the ids (known from the page's metadata) are taken off, the abstract is what remains.
const unescapeHtml = (text) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">")
  .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");

export function abstractOf(content, meta) {
  let text = unescapeHtml(content || "");
  for (const part of [meta.title, meta.authors].map((p) => unescapeHtml(p || "").trim())) {
    const at = part ? text.indexOf(part) : -1;
    if (at >= 0 && at < 4) text = text.slice(at + part.length).replace(/^[\s.]+/, "");
  }
  const ids = unescapeHtml(meta.ids || "").trim();
  const at = ids ? text.lastIndexOf(ids) : -1;
  if (at >= 0 && at + ids.length >= text.length - 2) text = text.slice(0, at).replace(/(\.\s*)?\.\s*$/, ".");
  return text.trim();
}

const folded = (word) => word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
  .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");

// Words of the abstract around the first hit: from the start of its sentence, about
// EXCERPT_WORDS long, ending at a sentence end when one is near, else at a word with "…".
export function excerptWords(text, terms) {
  const words = text.split(/\s+/).filter(Boolean);
  const isHit = (word) => {
    const w = folded(word);
    return w !== "" && terms.some((term) => w.startsWith(term));
  };
  const first = Math.max(0, words.findIndex(isHit));
  let start = first;
  while (start > 0 && !/[.!?]$/.test(words[start - 1]) && first - start < 20) start--;
  const sentenceStart = start === 0 || /[.!?]$/.test(words[start - 1]);
  let end = Math.min(words.length, start + EXCERPT_WORDS);
  const from = Math.max(start + 1, end - 8);  // a sentence end near the cut, if there is one
  const stop = words.slice(from, end + 8).findIndex((w) => /[.!?]$/.test(w));
  if (stop >= 0) end = Math.min(words.length, from + stop + 1);
  return {
    words: words.slice(start, end).map((word) => ({ word, hit: isHit(word) })),
    before: !sentenceStart,
    after: end < words.length && !/[.!?]$/.test(words[end - 1]),
  };
}

function appendExcerpt(node, data, terms) {
  const text = data.exact ? data.abstract : abstractOf(data.content, data.meta || {});
  const { words, before, after } = excerptWords(text, terms);
  if (before) node.append("… ");
  words.forEach(({ word, hit }, index) => {
    if (index) node.append(" ");
    const [, lead, core, tail] = word.match(/^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u);
    node.append(...(hit ? [lead, el("mark", "", core), tail] : [word]));
  });
  if (after) node.append(" …");
}

// A result as the listings' compact card (theme/templates/partials/card.html).
function resultCard(number, data, terms) {
  const meta = data.meta || {};
  const source = meta.source || ((data.filters || {}).source || [])[0];  // briefings: a filter
  const card = el("article", "card compact");
  const head = el("div", "card-head");
  head.append(el("span", "card-number", `${String(number).padStart(2, "0")}.`));
  if (source) head.append(el("span", "badge", source));
  if (meta.date) {
    const time = el("time", "", meta.date);
    time.dateTime = meta.date;
    head.append(time);
  }
  if (data.exact) head.append(el("span", "exact", t("Exact match")));
  const title = el("h2", "card-title");
  const link = el("a", "", meta.title || data.url);
  link.href = data.url;
  title.append(link);
  const excerpt = el("p", "excerpt");
  appendExcerpt(excerpt, data, terms);
  card.append(head, title, excerpt);
  return card;
}

// --- the panel ---------------------------------------------------------------------------

function buildPanel(state) {
  const ui = {
    panel: el("section", "search-panel"),
    bar: el("div", "search-bar"),
    status: el("p", "search-status"),
    filtersButton: button("button quiet", t("Filters")),
    olderButton: button("button quiet search-older"),
    filterBox: el("div", "search-filters"),
    list: el("div", "cards search-results"),
    moreButton: button("button quiet search-more", t("Load more")),
  };
  ui.panel.setAttribute("aria-label", t("Search results"));
  ui.status.setAttribute("role", "status");
  ui.filtersButton.setAttribute("aria-expanded", "false");
  ui.filtersButton.setAttribute("aria-controls", "search-filters");
  ui.filterBox.id = "search-filters";
  ui.filtersButton.hidden = ui.olderButton.hidden = ui.filterBox.hidden = true;
  ui.moreButton.hidden = true;
  ui.bar.append(ui.status, ui.filtersButton);
  ui.panel.append(ui.bar, ui.olderButton, ui.filterBox, ui.list, ui.moreButton);
  if (state.onSearchPage) document.getElementById("main").append(ui.panel);
  else state.form.after(ui.panel);
  state.ui = ui;
}

function chosenFilters(state) {
  const chosen = {};
  for (const box of state.ui.filterBox.querySelectorAll("input:checked")) {
    (chosen[box.name] = chosen[box.name] || { any: [] }).any.push(box.value);
  }
  return chosen;
}

const allSearched = (state) => state.searched === state.shards.length;

function clear(state, text) {
  state.results = [];
  state.shown = 0;
  state.ui.list.textContent = "";
  state.ui.moreButton.hidden = true;
  state.ui.status.textContent = text;
}

function fail(state, error) {
  state.failed = true;  // from now on the form submits to the search page, as without JavaScript
  const { ui } = state;
  ui.panel.hidden = false;
  ui.filtersButton.hidden = ui.olderButton.hidden = ui.filterBox.hidden = true;
  clear(state, t("Search is not available right now: its index could not be loaded. Try again later, or browse the papers by author, topic, source or day."));
  console.warn("AcademicHub search:", error);
}

function statusLine(state, term, filtered) {
  const n = state.results.length + (state.exact ? 1 : 0);
  const found = n === 0 ? t("No results") : plural(n, "result");
  const what = (term ? t(" for “{term}”", { term }) : "") + (filtered ? t(" with the chosen filters") : "");
  return allSearched(state)
    ? t("{found}{what} in the whole archive ({period}).", { found, what, period: period(state.shards) })
    : t("{found}{what} in papers of {period}.",
      { found, what, period: period(state.shards.slice(0, state.searched)) });
}

// Cards for results[from…from+PAGE_SIZE]: only the results shown load their data.
async function show(state, search, from) {
  const slice = state.results.slice(from, from + PAGE_SIZE);
  const pages = await Promise.all(slice.map((result) => result.data()));
  if (search !== state.current) return null;
  const offset = state.exact ? 1 : 0;
  const cards = pages.map((data, index) => resultCard(offset + from + index + 1, data, state.terms));
  if (from === 0) {
    const exact = state.exact ? [resultCard(1, state.exact, state.terms)] : [];
    state.ui.list.replaceChildren(...exact, ...cards);
  } else state.ui.list.append(...cards);
  state.shown = from + slice.length;
  state.ui.moreButton.hidden = state.shown >= state.results.length;
  return cards[0] || null;
}

// The paper an id, DOI or slug names, as a result; null when the query is none or unknown.
async function exactResult(state, term) {
  const key = idKey(term);
  if (!key) return null;
  try {
    const url = await lookupId(state, key);
    return url ? await pageAsResult(url) : null;
  } catch (error) {
    console.warn("AcademicHub search: id lookup", error);
    return null;
  }
}

function rememberQueryInUrl(state, term) {
  if (!state.onSearchPage) return;
  const url = new URL(window.location.href);
  if (term) url.searchParams.set("q", term);
  else url.searchParams.delete("q");
  window.history.replaceState(null, "", url);
}

async function query(state, term, filters, now) {
  const options = { filters };
  const [response, exact] = await Promise.all([
    now ? state.pagefind.search(term || null, options)
      : state.pagefind.debouncedSearch(term || null, options, 250),
    exactResult(state, term),
  ]);
  if (response === null) return null;  // a later keystroke took over
  // the exact paper is first, and not again among the ranked results
  const results = exact
    ? await withoutPage(response.results, exact.url)
    : response.results;
  return { results, exact, filters: response.filters };
}

async function withoutPage(results, url) {
  const head = await Promise.all(results.slice(0, PAGE_SIZE).map((r) => r.data()));
  const index = head.findIndex((data) => data.url === url);
  return index < 0 ? results : results.filter((_, i) => i !== index);
}

async function run(state, now) {
  const search = ++state.current;
  const term = state.input.value.trim();
  rememberQueryInUrl(state, term);
  if (!state.pagefind) return;  // still loading: the search runs once it is ready
  const filters = chosenFilters(state);
  const filtered = Object.keys(filters).length > 0;
  const { ui } = state;
  ui.panel.hidden = !state.onSearchPage && !term && !filtered && ui.filterBox.hidden;
  if (!term && !filtered) {
    clear(state, state.onSearchPage ? t("Type to search, or choose filters.") : "");
    ui.olderButton.hidden = true;
    state.counts = null;
    if (state.filtersLoaded) await renderFilters(state);
    return;
  }
  let found;
  try {
    found = await query(state, term, filters, now);
    if (found === null || search !== state.current) return;
    Object.assign(state, { results: found.results, exact: found.exact, counts: found.filters,
      terms: term.split(/\s+/).map(folded).filter(Boolean) });
    await show(state, search, 0);
  } catch (error) {
    if (search === state.current) fail(state, error);
    return;
  }
  if (search !== state.current) return;
  if (!state.results.length && !state.exact && !allSearched(state)) {
    ui.status.textContent = t("No results in papers of {period}; searching older papers too…",
      { period: period(state.shards.slice(0, state.searched)) });
    await searchOlder(state, false);
    return;
  }
  ui.status.textContent = statusLine(state, term, filtered);
  ui.olderButton.hidden = allSearched(state);
  if (state.filtersLoaded) await renderFilters(state);
}

// --- filters: their counts follow the query (Pagefind's counts for the current results) ------

function filterGroup(key, label, counts, chosen) {
  const names = Object.keys(counts).sort(key === "year"
    ? (a, b) => b.localeCompare(a)
    : (a, b) => counts[b] - counts[a] || a.localeCompare(b));
  if (!names.length) return null;
  const group = el("fieldset");
  group.append(el("legend", "", t(label)));
  for (const name of names) {
    const option = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.name = key;
    box.value = name;
    box.checked = Boolean(chosen[key] && chosen[key].any.includes(name));
    option.append(box, ` ${name} `, el("span", "count", `(${count(counts[name])})`));
    group.append(option);
  }
  return group;
}

async function renderFilters(state) {
  const counted = state.counts && Object.keys(state.counts).length > 0;
  const values = counted ? state.counts : await state.pagefind.filters();
  const chosen = chosenFilters(state);
  const groups = Object.entries(GROUPS)
    .map(([key, label]) => filterGroup(key, label, values[key] || {}, chosen))
    .filter(Boolean);
  const focused = document.activeElement;
  const refocus = state.ui.filterBox.contains(focused) ? [focused.name, focused.value] : null;
  state.ui.filterBox.replaceChildren(...groups);
  if (refocus) {
    state.ui.filterBox.querySelector(`input[name="${refocus[0]}"][value="${CSS.escape(refocus[1])}"]`)?.focus();
  }
}

async function toggleFilters(state) {
  const { filtersButton, filterBox } = state.ui;
  const open = filterBox.hidden;
  filtersButton.setAttribute("aria-expanded", String(open));
  filterBox.hidden = !open;
  if (!open || state.filtersLoaded) return;
  state.filtersLoaded = true;
  filterBox.textContent = t("Loading filters…");
  try {
    await state.pagefind.filters();  // loads them: from now on each search counts its results
    await run(state, true);
  } catch (error) {
    fail(state, error);
  }
}

// --- older shards ---------------------------------------------------------------------------

async function searchOlder(state, focus = true) {
  const { olderButton } = state.ui;
  olderButton.disabled = true;
  olderButton.textContent = t("Loading older papers…");
  try {
    await Promise.all(state.shards.slice(state.searched).map(state.merge));
    state.searched = state.shards.length;
    olderButton.hidden = true;
  } catch (error) {
    fail(state, error);
    return;
  }
  if (focus) state.input.focus();
  await run(state, true);
}

async function loadIndex(state) {
  const manifest = await fetchJson(state.manifestUrl);
  state.shards = manifest.shards;
  if (!state.shards.length) {  // a new radar before its first night: not an error
    state.ui.panel.hidden = false;
    clear(state, t("Nothing to search yet: the archive has no papers. They arrive with the first night."));
    return;
  }
  // Result URLs in the index start at the site's root, which may be a sub-path (GitHub Pages).
  const options = { baseUrl: new URL("../", state.manifestUrl).pathname, excerptLength: 30 };
  const bundle = (shard) => new URL(shard.bundle, state.manifestUrl).pathname;
  const module = await import(`${bundle(state.shards[0])}pagefind.js`);
  await module.options(options);
  state.merge = (shard) => module.mergeIndex(bundle(shard), options);
  state.searched = Math.min(Math.max(1, manifest.recent), state.shards.length);
  await Promise.all(state.shards.slice(1, state.searched).map(state.merge));
  const older = state.shards.slice(state.searched);
  if (older.length) {
    const pages = older.reduce((sum, shard) => sum + shard.pages, 0);
    state.ui.olderButton.textContent =
      t("Also search older papers ({period}, {count})", { period: period(older), count: plural(pages, "paper") });
  }
  state.pagefind = module;
  state.ui.filtersButton.hidden = false;
  await run(state, true);
}

function bind(state) {
  const { ui } = state;
  state.input.addEventListener("input", () => run(state, false));
  state.form.addEventListener("submit", (event) => {
    if (state.failed) return;
    event.preventDefault();
    run(state, true);
  });
  ui.filterBox.addEventListener("change", () => run(state, true));
  ui.moreButton.addEventListener("click", async () => {
    const first = await show(state, state.current, state.shown);
    if (first) first.querySelector("a").focus();
  });
  ui.olderButton.addEventListener("click", () => searchOlder(state));
  ui.filtersButton.addEventListener("click", () => toggleFilters(state));
}

export function openSearch(form) {
  const state = {
    form,
    input: form.querySelector("#search-input"),
    onSearchPage: document.body.dataset.page === "search",
    manifestUrl: new URL("shards.json", new URL(form.dataset.bundle, window.location.href)),
    ui: null,
    pagefind: null, merge: null, failed: false, filtersLoaded: false, idBuckets: null,
    shards: [], searched: 0,  // newest first; how many the query searches
    current: 0, results: [], exact: null, shown: 0, terms: [], counts: null,  // the latest search
  };
  buildPanel(state);
  bind(state);
  const query = new URLSearchParams(window.location.search).get("q");
  if (state.onSearchPage && query && !state.input.value) state.input.value = query;
  state.ui.panel.hidden = !state.onSearchPage && !state.input.value.trim();
  state.ui.status.textContent = t("Loading search…");
  if (state.onSearchPage && document.activeElement === document.body) state.input.focus();
  loadIndex(state).catch((error) => fail(state, error));
}
