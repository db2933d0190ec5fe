/* List filters: narrow the cards of a list page by category, theme, territory and type.

   The cards carry data-categorie, data-themes, data-territory and data-type (space-separated
   slugs; a territory or theme card lists its ancestors too). The state lives in the URL query
   (?thematique=…&territoire=…&type=…) so a filtered view can be shared and survives a reload.
   Without JavaScript the form stays hidden and the whole list shows. */
(function () {
  "use strict";
  var ATTRIBUTES = {categorie: "categorie", thematique: "themes", territoire: "territory", type: "type"};

  function start() {
    var form = document.querySelector("[data-filters]");
    if (!form) {
      return;
    }
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var status = form.querySelector("[data-filter-status]");
    var cards = Array.prototype.slice.call(document.querySelectorAll(".letter-group .card"));
    var groups = Array.prototype.slice.call(document.querySelectorAll(".letter-group"));

    function matches(card, name, value) {
      var words = (card.getAttribute("data-" + ATTRIBUTES[name]) || "").split(" ");
      return words.indexOf(value) !== -1;
    }

    function apply(push) {
      var active = selects.filter(function (s) { return s.value; });
      var shown = 0;
      cards.forEach(function (card) {
        var ok = active.every(function (s) { return matches(card, s.name, s.value); });
        card.hidden = !ok;
        if (ok) {
          shown += 1;
        }
      });
      groups.forEach(function (group) {
        var empty = !group.querySelector(".card:not([hidden])");
        group.hidden = empty;
        var link = document.querySelector(".letters a[href=\"#" + group.getAttribute("aria-labelledby") + "\"]");
        if (link) {
          link.parentNode.hidden = empty;
        }
      });
      status.textContent = active.length
        ? shown + (shown > 1 ? " entrées correspondent" : " entrée correspond") + " sur " + cards.length + "."
        : "";
      if (push) {
        var params = new URLSearchParams(location.search);
        selects.forEach(function (s) {
          if (s.value) {
            params.set(s.name, s.value);
          } else {
            params.delete(s.name);
          }
        });
        var query = params.toString();
        history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
      }
    }

    var params = new URLSearchParams(location.search);
    selects.forEach(function (s) {
      var wanted = params.get(s.name);
      if (wanted && s.querySelector("option[value=\"" + CSS.escape(wanted) + "\"]")) {
        s.value = wanted;
      }
      s.addEventListener("change", function () { apply(true); });
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () {
      setTimeout(function () { apply(true); }, 0);
    });
    form.hidden = false;
    apply(false);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
