// AcademicHub: search, author filter and shuffle. The pages work without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Search (theme/static/js/search.js) loads on first use: focus or submit of the search form,
  // or at once on the search page; the home page does not download it until it is wanted.
  function startSearch() {
    var form = document.getElementById("search");
    if (!form) return;
    var loading = null;
    function load() {
      if (!loading) {
        loading = import(new URL(form.dataset.script, window.location.href).href)
          .then(function (search) {
            form.removeEventListener("submit", submitted);
            search.openSearch(form);
          });
      }
      return loading;
    }
    function submitted(event) {
      event.preventDefault();
      load().catch(function () { form.submit(); });  // unreachable script: the search page
    }
    if (document.body.dataset.page === "search") {
      load().catch(function () {});
      return;
    }
    var input = document.getElementById("search-input");
    input.addEventListener("focus", function () { load().catch(function () {}); }, { once: true });
    form.addEventListener("submit", submitted);
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
    startSearch();
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
