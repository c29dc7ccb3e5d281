// AcademicHub: search, author filter and shuffle. The pages work without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Search loads on first use: the home page stays light until a visitor wants to search.
  var searchUI = null;

  function loadAsset(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      Object.keys(attrs).forEach(function (key) { node[key] = attrs[key]; });
      node.onload = resolve;
      node.onerror = reject;
      document.head.appendChild(node);
    });
  }

  function openSearch(term) {
    var form = document.getElementById("search");
    if (!form || searchUI) return;
    var bundle = new URL(form.dataset.bundle, window.location.href).href;
    searchUI = Promise.all([
      loadAsset("link", { rel: "stylesheet", href: bundle + "pagefind-ui.css" }),
      loadAsset("script", { src: bundle + "pagefind-ui.js" }),
    ]).then(function () {
      var typed = form.querySelector("input").value || term;  // keep what was typed meanwhile
      var box = document.createElement("div");
      box.className = "search";
      box.id = "search";
      box.setAttribute("role", "search");
      form.replaceWith(box);
      var ui = new window.PagefindUI({
        element: "#search",
        bundlePath: bundle,
        showSubResults: false,
        showImages: false,
        resetStyles: false,
        translations: { placeholder: "Search papers, authors, topics…" },
      });
      var input = box.querySelector("input");
      if (typed) ui.triggerSearch(typed);
      if (input) input.focus();
      return ui;
    }).catch(function () {
      searchUI = null;  // offline or no index yet: the form still submits to the search page
    });
  }

  function startSearch(params) {
    var form = document.getElementById("search");
    if (!form) return;
    var input = document.getElementById("search-input");
    if (document.body.dataset.page === "search") {
      openSearch(params.get("q") || "");
      return;
    }
    input.addEventListener("focus", function () { openSearch(input.value); }, { once: true });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      openSearch(input.value);
    });
  }

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll("#cards .card"));
  }

  function renderChip(author) {
    var chips = document.getElementById("chips");
    if (!chips) return;
    chips.textContent = "";
    if (!author) return;
    var chip = document.createElement("span");
    chip.className = "chip";
    chip.appendChild(document.createTextNode("Authors: " + author));
    var clear = document.createElement("button");
    clear.type = "button";
    clear.setAttribute("aria-label", "Clear author filter " + author);
    clear.textContent = "×";
    clear.addEventListener("click", function () { setAuthor(""); });
    chip.appendChild(clear);
    chips.appendChild(chip);
  }

  function applyAuthor(author) {
    cards().forEach(function (card) {
      var names = (card.dataset.authors || "").split("|");
      card.hidden = Boolean(author) && names.indexOf(author) === -1;
    });
    renderChip(author);
  }

  function setAuthor(author) {
    var url = new URL(window.location.href);
    if (author) url.searchParams.set("author", author); else url.searchParams.delete("author");
    window.history.pushState({ author: author }, "", url);
    applyAuthor(author);
  }

  function shuffle(random) {
    var list = document.getElementById("cards");
    var items = cards();
    for (var i = items.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var tmp = items[i]; items[i] = items[j]; items[j] = tmp;
    }
    items.forEach(function (card) { list.appendChild(card); });
  }

  function seededRandom(seed) {  // mulberry32: ?seed=N makes Shuffle repeatable for tests
    return function () {
      seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
      var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // Abstracts are whole in the page (readable without JavaScript); with it, they are clamped to
  // three lines with a button to expand, shown only where the text is longer than that.
  function clampAbstracts() {
    document.querySelectorAll("#cards .abstract").forEach(function (abstract) {
      abstract.classList.add("clamped");
      var button = abstract.nextElementSibling;
      if (!button || !button.classList.contains("expand")) return;
      if (abstract.scrollHeight <= abstract.clientHeight + 1) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var open = abstract.classList.toggle("clamped") === false;
        button.setAttribute("aria-expanded", String(open));
        button.textContent = open ? "Show less" : "Show full abstract";
      });
    });
  }

  function start() {
    clampAbstracts();
    var params = new URLSearchParams(window.location.search);
    startSearch(params);
    if (document.getElementById("cards")) {
      document.addEventListener("click", function (event) {
        var link = event.target.closest("a[data-author]");
        if (!link) return;
        event.preventDefault();
        setAuthor(link.dataset.author);
      });
      window.addEventListener("popstate", function () {
        applyAuthor(new URLSearchParams(window.location.search).get("author") || "");
      });
      applyAuthor(params.get("author") || "");
      var button = document.getElementById("shuffle");
      var seed = params.get("seed");
      var random = seed ? seededRandom(Number(seed)) : Math.random;
      if (button) button.addEventListener("click", function () { shuffle(random); });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
