// AcademicHub: "new since your last visit" marks, a hide-what-I-have-seen toggle and
// copy-BibTeX buttons. Everything stays in this browser (localStorage); nothing is sent.
// Loaded by site.js on pages with cards or a copy button; the pages work without it.

const SEEN_THROUGH = "academichub:seen-through"; // newest day shown on an earlier visit
const BASELINE = "academichub:visit-baseline"; // sessionStorage: SEEN_THROUGH as this visit began
const HIDE_SEEN = "academichub:hide-seen";

function store(kind) {
  try {
    const storage = window[kind];
    storage.getItem(SEEN_THROUGH);
    return storage;
  } catch (error) {
    return null; // storage blocked: no marks, nothing else changes
  }
}

function cardDay(card) {
  const time = card.querySelector("time");
  if (!time) return "";
  return (time.getAttribute("datetime") || time.textContent).trim().slice(0, 10);
}

// A card is new when its day is after the newest day shown on any earlier visit. The visit's
// baseline is kept for the tab's session, so a reload or the next page keeps the same marks.
export function markNew(root) {
  const local = store("localStorage");
  const cards = Array.from(root.querySelectorAll("#cards .card"));
  if (!local || !cards.length) return 0;
  const session = store("sessionStorage");
  let baseline = session ? session.getItem(BASELINE) : null;
  if (baseline === null) {
    baseline = local.getItem(SEEN_THROUGH) || "";
    if (session) session.setItem(BASELINE, baseline);
  }
  let newest = local.getItem(SEEN_THROUGH) || "";
  let fresh = 0;
  cards.forEach(function (card) {
    const day = cardDay(card);
    if (day > newest) newest = day;
    if (!baseline || !day) return;
    if (day > baseline) {
      fresh += 1;
      card.classList.add("is-new");
      const head = card.querySelector(".card-head");
      if (head && !head.querySelector(".new-mark")) {
        const mark = document.createElement("span");
        mark.className = "new-mark";
        mark.textContent = "New";
        head.appendChild(mark);
      }
    } else {
      card.classList.add("is-seen");
    }
  });
  local.setItem(SEEN_THROUGH, newest);
  if (baseline) addHideToggle(root, local, fresh);
  return fresh;
}

function addHideToggle(root, local, fresh) {
  const list = root.getElementById("cards");
  if (!list || root.getElementById("hide-seen")) return;
  const label = document.createElement("label");
  label.className = "hide-seen";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.id = "hide-seen";
  label.appendChild(box);
  label.appendChild(document.createTextNode(` Hide papers seen before (${fresh} new)`));
  const controls = root.querySelector(".controls");
  if (controls) controls.appendChild(label);
  else list.parentNode.insertBefore(label, list);
  function apply() {
    list.classList.toggle("hiding-seen", box.checked);
    local.setItem(HIDE_SEEN, box.checked ? "1" : "");
  }
  box.checked = local.getItem(HIDE_SEEN) === "1";
  box.addEventListener("change", apply);
  apply();
}

function copyText(text) {
  if (navigator.clipboard && navigator.clipboard.writeText) {
    return navigator.clipboard.writeText(text);
  }
  return Promise.reject(new Error("no clipboard"));
}

// A Copy button beside each BibTeX block the page has (a paper's, the Saved page's list).
export function startCopyButtons(root) {
  root.querySelectorAll("pre.bibtex, .bibtex pre").forEach(function (shown) {
    const tools = document.createElement("p");
    tools.className = "paper-tools";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button quiet copy-bibtex";
    button.textContent = "Copy BibTeX";
    const status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    tools.append(button, status);
    const details = shown.closest("details");
    (details || shown).after(tools);
    button.addEventListener("click", function () {
      const text = shown.textContent.trim() + "\n";
      copyText(text).then(
        function () { status.textContent = "Copied"; },
        function () {
          const range = document.createRange();
          range.selectNodeContents(shown);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          status.textContent = "Selected: press Ctrl+C or ⌘C to copy";
        },
      );
    });
  });
}

export function start(root) {
  markNew(root);
  startCopyButtons(root);
}
