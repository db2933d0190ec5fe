/* The /recherche/ page: our own labelled form over the Pagefind JS API (its default UI has an
   unlabelled input). Reads ?q= and the filters from the URL (the header form submits here), keeps
   them in the URL as the reader types, and lists results with their category, type and
   territory. What the reader types before the index has loaded is kept, and searched once it is. */
(function () {
  "use strict";
  var FILTERS = ["categorie", "thematique", "territoire", "type", "statut"];
  var form = document.querySelector("[data-search]");
  if (!form) {
    return;
  }
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector("[data-search-status]");
  var list = document.querySelector("[data-search-results]");
  var selects = {};
  FILTERS.forEach(function (name) {
    selects[name] = form.querySelector("select[data-filter=" + name + "]");
  });
  var pagefind = null;
  var serial = 0;
  var timer = null;

  /* Pagefind excerpts are text with <mark> around the hits: rebuild them from text and marks only. */
  function excerpt(html) {
    var p = document.createElement("p");
    var template = document.createElement("template");
    template.innerHTML = html;
    Array.prototype.forEach.call(template.content.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function item(data) {
    var li = document.createElement("li");
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = data.url;
    a.textContent = data.meta.title || data.url;
    h.appendChild(a);
    li.appendChild(h);
    var meta = [data.meta.categorie, data.meta.type, data.meta.territoire, data.meta.statut].filter(Boolean).join(" · ");
    if (meta) {
      var m = document.createElement("p");
      m.className = "meta";
      m.textContent = meta;
      li.appendChild(m);
    }
    li.appendChild(excerpt(data.excerpt || ""));
    return li;
  }

  function chosen() {
    var filters = {};
    FILTERS.forEach(function (name) {
      if (selects[name] && selects[name].value) {
        filters[name] = selects[name].value;
      }
    });
    return filters;
  }

  function remember() {
    var params = new URLSearchParams();
    if (input.value.trim()) {
      params.set("q", input.value.trim());
    }
    var filters = chosen();
    Object.keys(filters).forEach(function (name) { params.set(name, filters[name]); });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  async function run() {
    var mine = ++serial;
    var query = input.value.trim();
    var filters = chosen();
    remember();
    if (!query && !Object.keys(filters).length) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    var search = await pagefind.search(query || null, {filters: filters});
    var found = await Promise.all(search.results.slice(0, 50).map(function (r) { return r.data(); }));
    if (mine !== serial) {
      return; // a newer search has started
    }
    list.replaceChildren.apply(list, found.map(item));
    var n = search.results.length;
    status.textContent = n === 0 ? "Aucun résultat."
      : n + (n > 1 ? " résultats" : " résultat") + (n > 50 ? ", les 50 premiers affichés." : ".");
  }

  function later() {
    clearTimeout(timer);
    if (pagefind) {
      timer = setTimeout(run, 200);
    } // else start() searches what is in the box once the index is in
  }

  async function fill(loaded) {
    var counts = await loaded.filters();
    FILTERS.forEach(function (name) {
      var select = selects[name];
      var values = Object.keys(counts[name] || {}).sort(function (a, b) { return a.localeCompare(b, "fr"); });
      select.parentNode.hidden = !values.length;  // e.g. no programme with a status: no empty choice
      values.forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value + " (" + counts[name][value] + ")";
        select.appendChild(option);
      });
    });
  }

  async function start() {
    var params = new URLSearchParams(location.search);
    if (!input.value) {
      input.value = params.get("q") || ""; // at once: the reader may go on typing while the index loads
    }
    input.addEventListener("input", later);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      if (pagefind) {
        run();
      }
    });
    try {
      var loaded = await import(form.dataset.pagefind + "pagefind.js");
      await loaded.options({baseUrl: form.dataset.base, excerptLength: 24});
      await loaded.init();
      await fill(loaded);
      pagefind = loaded; // from now on, typing searches

    } catch (error) {
      status.textContent = "La recherche n'a pas pu se charger. Parcourez l'index de A à Z.";
      return;
    }
    FILTERS.forEach(function (name) {
      var wanted = params.get(name);
      if (wanted && Array.prototype.some.call(selects[name].options, function (o) { return o.value === wanted; })) {
        selects[name].value = wanted;
      }
      selects[name].addEventListener("change", run);
    });
    form.querySelector("[data-search-filters]").hidden = false;
    var nojs = document.querySelector("[data-search-nojs]");
    if (nojs) nojs.hidden = true;  // a plain paragraph, not <noscript>: it also shows when the script fails
    form.dataset.ready = "true";
    await run();
  }

  start();
})();
