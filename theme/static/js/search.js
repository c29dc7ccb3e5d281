// AcademicHub search, on Pagefind's JS API over the index shards listed in pagefind/shards.json
// (pipeline/site/search_index.py). A first query searches only the newest shards; filters are
// fetched when the visitor opens them; older shards are merged on request. site.js imports this
// module on first use, so pages that never search never download it.

const PAGE_SIZE = 10;
const GROUPS = { source: "Source", topic: "Topic", year: "Year", author: "Watched author" };
const MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");

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

const count = (n) => n.toLocaleString("en");
const plural = (n, noun) => `${count(n)} ${noun}${n === 1 ? "" : "s"}`;

// Pagefind escapes < and > in the page text and wraps each matched word in <mark>…</mark>: only
// those marks become elements; everything else, markup in a hostile abstract included, is text.
function appendExcerpt(node, excerpt) {
  excerpt.split(/<\/?mark>/).forEach((part, index) => {
    const text = part.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    node.append(index % 2 ? el("mark", "", text) : text);
  });
}

// A result as the listings' compact card (theme/templates/partials/card.html).
function resultCard(number, data) {
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
  const title = el("h2", "card-title");
  const link = el("a", "", meta.title || data.url);
  link.href = data.url;
  title.append(link);
  const excerpt = el("p", "excerpt");
  appendExcerpt(excerpt, data.excerpt || "");
  card.append(head, title, excerpt);
  return card;
}

export function openSearch(form) {
  const input = form.querySelector("#search-input");
  const onSearchPage = document.body.dataset.page === "search";
  const panel = el("section", "search-panel");
  panel.setAttribute("aria-label", "Search results");
  const bar = el("div", "search-bar");
  const status = el("p", "search-status");
  status.setAttribute("role", "status");
  const filtersButton = button("button quiet", "Filters");
  filtersButton.setAttribute("aria-expanded", "false");
  filtersButton.setAttribute("aria-controls", "search-filters");
  filtersButton.hidden = true;
  const olderButton = button("button quiet search-older");
  const filterBox = el("div", "search-filters");
  filterBox.id = "search-filters";
  const list = el("div", "cards search-results");
  const moreButton = button("button quiet search-more", "Load more");
  olderButton.hidden = filterBox.hidden = moreButton.hidden = true;
  bar.append(status, filtersButton);
  panel.append(bar, olderButton, filterBox, list, moreButton);
  if (onSearchPage) document.getElementById("main").append(panel);
  else form.after(panel);

  let pagefind = null, failed = false, merge = null;
  let shards = [], searched = 0, filtersLoaded = false;
  let current = 0, results = [], shown = 0;  // the latest search, its results, how many shown

  function chosenFilters() {
    const chosen = {};
    for (const box of filterBox.querySelectorAll("input:checked")) {
      (chosen[box.name] = chosen[box.name] || { any: [] }).any.push(box.value);
    }
    return chosen;
  }

  function where() {
    return searched === shards.length
      ? `in the whole archive (${period(shards)})`
      : `in papers of ${period(shards.slice(0, searched))}`;
  }

  function clear(text) {
    results = [];
    shown = 0;
    list.textContent = "";
    moreButton.hidden = true;
    status.textContent = text;
  }

  // Cards for results[from…from+PAGE_SIZE]: only the results shown load their data.
  async function show(search, found, from) {
    const pages = await Promise.all(found.slice(from, from + PAGE_SIZE).map((r) => r.data()));
    if (search !== current) return null;
    const cards = pages.map((data, index) => resultCard(from + index + 1, data));
    if (from === 0) list.replaceChildren(...cards);
    else list.append(...cards);
    results = found;
    shown = from + cards.length;
    moreButton.hidden = shown >= found.length;
    return cards[0] || null;
  }

  async function run(now) {
    const search = ++current;
    const term = input.value.trim();
    if (onSearchPage) {
      const url = new URL(window.location.href);
      if (term) url.searchParams.set("q", term);
      else url.searchParams.delete("q");
      window.history.replaceState(null, "", url);
    }
    if (!pagefind) return;  // still loading: the search runs once it is ready
    const filters = chosenFilters();
    const filtered = Object.keys(filters).length > 0;
    panel.hidden = !onSearchPage && !term && !filtered && filterBox.hidden;
    if (!term && !filtered) {
      clear(onSearchPage ? "Type to search, or choose filters." : "");
      olderButton.hidden = true;
      return;
    }
    let response;
    try {
      const options = { filters };
      response = now
        ? await pagefind.search(term || null, options)
        : await pagefind.debouncedSearch(term || null, options, 250);
      if (response === null || search !== current) return;  // a later keystroke took over
      await show(search, response.results, 0);
    } catch (error) {
      if (search === current) fail(error);
      return;
    }
    if (search !== current) return;
    const n = results.length;
    const found = n === 0 ? "No results" : plural(n, "result");
    const what = (term ? ` for “${term}”` : "") + (filtered ? " with the chosen filters" : "");
    status.textContent = `${found}${what} ${where()}.`;
    olderButton.hidden = searched === shards.length;
  }

  function fail(error) {
    failed = true;  // from now on the form submits to the search page, as without JavaScript
    panel.hidden = false;
    filtersButton.hidden = olderButton.hidden = filterBox.hidden = true;
    clear("Search is not available right now: its index could not be loaded. Try again later, " +
      "or browse the papers by author, topic, source or day.");
    console.warn("AcademicHub search:", error);
  }

  async function renderFilters() {
    const values = await pagefind.filters();
    const chosen = chosenFilters();
    filterBox.textContent = "";
    for (const [key, label] of Object.entries(GROUPS)) {
      const counts = values[key] || {};
      const names = Object.keys(counts).sort(key === "year"
        ? (a, b) => b.localeCompare(a)
        : (a, b) => counts[b] - counts[a] || a.localeCompare(b));
      if (!names.length) continue;
      const group = el("fieldset");
      group.append(el("legend", "", label));
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
      filterBox.append(group);
    }
  }

  async function searchOlder() {
    olderButton.disabled = true;
    olderButton.textContent = "Loading older papers…";
    try {
      await Promise.all(shards.slice(searched).map(merge));
      searched = shards.length;
      olderButton.hidden = true;
      if (filtersLoaded) await renderFilters();
    } catch (error) {
      fail(error);
      return;
    }
    input.focus();
    await run(true);
  }

  input.addEventListener("input", () => run(false));
  form.addEventListener("submit", (event) => {
    if (failed) return;
    event.preventDefault();
    run(true);
  });
  filterBox.addEventListener("change", () => run(true));
  moreButton.addEventListener("click", async () => {
    const first = await show(current, results, shown);
    if (first) first.querySelector("a").focus();
  });
  olderButton.addEventListener("click", searchOlder);
  filtersButton.addEventListener("click", async () => {
    const open = filterBox.hidden;
    filtersButton.setAttribute("aria-expanded", String(open));
    filterBox.hidden = !open;
    if (!open || filtersLoaded) return;
    filtersLoaded = true;
    filterBox.textContent = "Loading filters…";
    try {
      await renderFilters();
    } catch (error) {
      fail(error);
    }
  });

  const query = new URLSearchParams(window.location.search).get("q");
  if (onSearchPage && query && !input.value) input.value = query;
  panel.hidden = !onSearchPage && !input.value.trim();
  status.textContent = "Loading search…";
  if (onSearchPage && document.activeElement === document.body) input.focus();

  (async () => {
    const manifestUrl = new URL("shards.json", new URL(form.dataset.bundle, window.location.href));
    const response = await fetch(manifestUrl);
    if (!response.ok) throw new Error(`${manifestUrl}: HTTP ${response.status}`);
    const manifest = await response.json();
    shards = manifest.shards;
    if (!shards.length) {  // a new radar before its first night: not an error
      panel.hidden = false;
      clear("Nothing to search yet: the archive has no papers. They arrive with the first night.");
      return;
    }
    // Result URLs in the index start at the site's root, which may be a sub-path (GitHub Pages).
    const options = { baseUrl: new URL("../", manifestUrl).pathname, excerptLength: 30 };
    const bundle = (shard) => new URL(shard.bundle, manifestUrl).pathname;
    const module = await import(`${bundle(shards[0])}pagefind.js`);
    await module.options(options);
    merge = (shard) => module.mergeIndex(bundle(shard), options);
    searched = Math.min(Math.max(1, manifest.recent), shards.length);
    await Promise.all(shards.slice(1, searched).map(merge));
    const older = shards.slice(searched);
    if (older.length) {
      const pages = older.reduce((sum, shard) => sum + shard.pages, 0);
      olderButton.textContent =
        `Also search older papers (${period(older)}, ${plural(pages, "paper")})`;
    }
    pagefind = module;
    filtersButton.hidden = false;
    await run(true);
  })().catch(fail);
}
