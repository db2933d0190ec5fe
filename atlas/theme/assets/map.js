/* Maps over lists of places: each [data-map] element gets a Leaflet map of the points of the list
   its data-points names (li[data-lat][data-lon]). The list stays: it is the content, for readers
   without JavaScript or with a screen reader; the map repeats it. Markers are keyboard buttons
   (Tab, then Enter opens the popup); places at the same spot are grouped by markercluster.

   Privacy: tiles from another origin (OpenStreetMap by default) are loaded only once the reader
   asks for them, and that choice is remembered in this browser; tiles from the site itself load
   at once. Markers never depend on tiles. */
(function () {
  "use strict";
  var CONSENT = "atlas-fond-de-carte";

  function sameOrigin(url) {
    try {
      return new URL(url.replace(/\{[^}]*\}/g, "0"), document.baseURI).origin === location.origin;
    } catch (e) {
      return false;
    }
  }

  function consented() {
    try {
      return localStorage.getItem(CONSENT) === "oui";
    } catch (e) {
      return false;
    }
  }

  function remember() {
    try {
      localStorage.setItem(CONSENT, "oui");
    } catch (e) { /* private mode: ask again next time */ }
  }

  function popup(item) {
    var box = document.createElement("div");
    box.className = "map-popup";
    Array.prototype.forEach.call(item.childNodes, function (node) {
      box.appendChild(node.cloneNode(true));
    });
    return box;
  }

  function clusterIcon(cluster) {
    var n = cluster.getChildCount();
    var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
    return L.divIcon({
      html: "<div><span>" + n + "</span><span class=\"visually-hidden\"> lieux ici : agrandir</span></div>",
      className: "marker-cluster marker-cluster-" + size,
      iconSize: L.point(40, 40)
    });
  }

  function addTiles(map, container) {
    L.tileLayer(container.dataset.tiles, {
      attribution: container.dataset.attribution.replace(/[&<>"]/g, function (c) {
        return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c];
      }),
      maxZoom: 19
    }).addTo(map);
  }

  function tilesButton(map, container, maps) {
    var host = new URL(container.dataset.tiles.replace(/\{[^}]*\}/g, "a"), document.baseURI).hostname;
    var box = L.DomUtil.create("div", "map-consent");
    var button = L.DomUtil.create("button", "", box);
    button.type = "button";
    button.textContent = "Afficher le fond de carte";
    var note = L.DomUtil.create("p", "", box);
    note.textContent = "Il est chargé depuis " + host + ", qui verra alors votre adresse IP.";
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.on(button, "click", function () {
      remember();
      maps.forEach(function (m) {
        if (m.consent) {
          m.consent.remove();
          m.consent = null;
          addTiles(m.map, m.container);
        }
      });
    });
    container.appendChild(box);
    return box;
  }

  function init(container, maps) {
    var list = document.getElementById(container.dataset.points);
    var items = list ? Array.prototype.slice.call(list.querySelectorAll(":scope > li[data-lat]")) : [];
    if (!items.length || typeof L === "undefined") {
      return;
    }
    container.hidden = false;
    // Leaflet's own labels are in English: the page is in French (WCAG 3.1.2).
    var map = L.map(container, {scrollWheelZoom: false, maxZoom: 19, zoomControl: false});
    L.control.zoom({zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière"}).addTo(map);
    map.on("popupopen", function (e) {
      var close = e.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", "Fermer");
        close.title = "Fermer";
      }
    });
    var group = L.markerClusterGroup
      ? L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40, iconCreateFunction: clusterIcon})
      : L.featureGroup();
    var bounds = [];
    items.forEach(function (item) {
      var at = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)];
      var title = item.dataset.title;
      var marker = L.marker(at, {title: title, alt: title, keyboard: true});
      marker.bindPopup(popup(item), {maxHeight: 320});
      group.addLayer(marker);
      bounds.push(at);
    });
    map.addLayer(group);
    if (bounds.length === 1) {
      map.setView(bounds[0], 15);
    } else {
      map.fitBounds(bounds, {padding: [30, 30], maxZoom: 15});
    }
    var entry = {map: map, container: container, consent: null};
    if (sameOrigin(container.dataset.tiles) || consented()) {
      addTiles(map, container);
    } else {
      entry.consent = tilesButton(map, container, maps);
    }
    maps.push(entry);
  }

  function start() {
    var maps = [];
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), function (c) {
      init(c, maps);
    });
  }

  // The map's stylesheets, beside this script: fetched only when there is a map to draw, and
  // the map is drawn once they are in (or have failed: the list of places is still there).
  var STYLES = ["vendor/leaflet/leaflet.css", "vendor/leaflet.markercluster/MarkerCluster.css",
                "vendor/leaflet.markercluster/MarkerCluster.Default.css", "map.css"];
  var here = document.currentScript ? document.currentScript.src : document.baseURI;

  function withStyles(then) {
    var waiting = STYLES.length;
    STYLES.forEach(function (path) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = new URL(path, here).href;
      link.onload = link.onerror = function () {
        waiting -= 1;
        if (waiting === 0) {
          then();
        }
      };
      document.head.appendChild(link);
    });
  }

  function ready() {
    // With scripting on, style.css keeps each map's place (hidden) from the first paint, so that
    // nothing moves when the map is drawn. A map that cannot be drawn gives its place back.
    var drawn = 0;
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), function (c) {
      var list = document.getElementById(c.dataset.points);
      if (typeof L === "undefined" || !(list && list.querySelector(":scope > li[data-lat]"))) {
        c.remove();
      } else {
        drawn += 1;
      }
    });
    if (drawn) {
      withStyles(start);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
