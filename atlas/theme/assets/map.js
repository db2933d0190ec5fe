/* Maps over lists of places: each [data-map] element gets a Leaflet map of the points of the list
   its data-points names (li[data-lat][data-lon]). The list stays: it is the content, for readers
   without JavaScript or with a screen reader; the map repeats it. Markers are keyboard buttons
   (Tab, then Enter or Space opens the popup); places close together are grouped by
   markercluster, and a group opens on click, Enter or Space (focus then goes to its first place).

   The background is drawn from the site's own files (assets/geo/, made by the build from IGN's
   Admin Express): borders and names of regions and départements, and close up those of the
   communes, loaded cell by cell for what the map shows. A territory's map (data-outline,
   data-bounds) highlights its shape and zooms to it; other maps zoom to their points.

   A large map (data-source) has no list in its page: its points come from the site's points file
   (carte/points.json, fetched once and cached across pages), the ones of its territory
   (data-within) when it has one, each made into the list item the page would have had.

   Privacy: tiles from another origin (OpenStreetMap by default) are loaded only once the reader
   asks for them, and that choice is remembered in this browser; tiles from the site itself load
   at once. Markers never depend on tiles. */
(function () {
  "use strict";
  var CONSENT = "atlas-fond-de-carte";
  var CREDIT = "Contours : IGN — Admin Express, Licence Ouverte";
  var CLOSE = 11; // from this zoom on, commune borders and names (where the site has them)
  var here = document.currentScript ? document.currentScript.src : document.baseURI;
  var GEO = new URL("geo/", here).href;
  var files = {}; // file name -> promise of its JSON (or null), shared by the maps of the page

  function load(name) {
    if (!(name in files)) {
      files[name] = fetch(GEO + name).then(function (r) {
        return r.ok ? r.json() : null;
      }).catch(function () {
        return null;
      });
    }
    return files[name];
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c];
    });
  }

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
    container.classList.add("map-tiles");
    L.tileLayer(container.dataset.tiles, {attribution: escapeHtml(container.dataset.attribution), maxZoom: 19}).addTo(map);
  }

  /* The outline background of one map: what to load and show is decided again after each move. */
  function outlines(map, container) {
    map.createPane("outlines").setAttribute("aria-hidden", "true");
    map.createPane("labels").setAttribute("aria-hidden", "true");
    var renderer = L.svg({pane: "outlines", padding: 0.3});
    var index = load("index.json");
    var france = null;
    var cells = {}; // file name -> {lines, names} once loaded
    var labelPane = map.getPane("labels");
    map.attributionControl.addAttribution(CREDIT);

    function lines(data) {
      return L.geoJSON(data, {
        renderer: renderer, interactive: false,
        filter: function (f) { return f.geometry.type === "MultiLineString"; },
        style: function (f) { return {className: "map-limite map-limite-" + f.properties.limite, fill: false}; }
      });
    }

    function labels(data) {
      var found = [];
      data.features.forEach(function (f) {
        if (f.geometry.type === "MultiPoint") {
          f.geometry.coordinates.forEach(function (c, i) {
            found.push({name: f.properties.noms[i], niveau: f.properties.niveau, at: L.latLng(c[1], c[0])});
          });
        }
      });
      return found;
    }

    function cellsInView(idx) {
      var view = map.getBounds().pad(0.1);
      var wanted = [];
      Object.keys(idx.communes).forEach(function (dep) {
        idx.communes[dep].forEach(function (cell) {
          var sw = cell.split("_").map(parseFloat);
          if (view.intersects(L.latLngBounds([sw[1], sw[0]], [sw[1] + idx.cellule, sw[0] + idx.cellule]))) {
            wanted.push("communes-" + dep + "/" + cell + ".geojson");
          }
        });
      });
      return wanted;
    }

    /* Names largest first, each where it does not overlap one already placed (plain text in
       their own pane, placed again after each move; hidden while a zoom animates). */
    function place(candidates) {
      var view = map.getBounds();
      var taken = [];
      var spans = [];
      candidates.forEach(function (c) {
        if (!view.contains(c.at)) {
          return;
        }
        var p = map.latLngToContainerPoint(c.at);
        var w = c.name.length * (c.niveau === "region" ? 8.5 : 7) + 8; // about the width of the text
        var box = [p.x - w / 2, p.y - 9, p.x + w / 2, p.y + 9];
        if (taken.some(function (t) { return box[0] < t[2] && t[0] < box[2] && box[1] < t[3] && t[1] < box[3]; })) {
          return;
        }
        taken.push(box);
        var at = map.latLngToLayerPoint(c.at);
        var span = document.createElement("span");
        span.className = "map-label map-label-" + c.niveau;
        span.textContent = c.name;
        span.style.left = at.x + "px";
        span.style.top = at.y + "px";
        spans.push(span);
      });
      labelPane.replaceChildren.apply(labelPane, spans);
    }

    function show(wanted) {
      var z = map.getZoom();
      var close = wanted.some(function (name) { return cells[name]; });
      if (france) {
        if (close) {
          map.removeLayer(france.lines);
        } else {
          france.lines.addTo(map);
        }
      }
      Object.keys(cells).forEach(function (name) {
        if (cells[name]) {
          if (close) {
            cells[name].lines.addTo(map);
          } else {
            map.removeLayer(cells[name].lines);
          }
        }
      });
      var candidates = [];
      if (close) {
        wanted.forEach(function (name) { if (cells[name]) candidates = candidates.concat(cells[name].names); });
      } else if (france) {
        var level = z <= 7 ? "region" : "departement";
        candidates = france.names.filter(function (c) { return c.niveau === level; });
      }
      place(candidates);
    }

    function refresh() {
      index.then(function (idx) {
        var wanted = idx && map.getZoom() >= CLOSE ? cellsInView(idx) : [];
        var pending = wanted.filter(function (name) { return !(name in cells); });
        pending.forEach(function (name) {
          cells[name] = null;
          load(name).then(function (data) {
            if (data) {
              cells[name] = {lines: lines(data), names: labels(data)};
              show(idx && map.getZoom() >= CLOSE ? cellsInView(idx) : []);
            }
          });
        });
        if (!wanted.length && !france) {
          load("france.geojson").then(function (data) {
            if (data && !france) {
              france = {lines: lines(data), names: labels(data)};
              show(idx && map.getZoom() >= CLOSE ? cellsInView(idx) : []);
            }
          });
        }
        show(wanted);
      });
    }

    if (container.dataset.outline) {
      L.geoJSON(JSON.parse(container.dataset.outline), {
        renderer: renderer, interactive: false, style: {className: "map-outline"}
      }).addTo(map);
    }
    map.on("moveend", refresh);
    refresh();
  }

  /* A group of places opens on Enter and Space too, and the focus then goes to its first place. */
  function keyboard(map, group) {
    function focusInside(cluster) {
      var first = cluster.getAllChildMarkers()[0];
      var done = false;
      function go() {
        if (done) return;
        done = true;
        var shown = group.getVisibleParent(first);
        var element = shown && shown.getElement();
        if (element) element.focus();
      }
      map.once("moveend", go);
      group.once("spiderfied", go);
    }
    group.on("clusterkeydown", function (e) {
      var key = e.originalEvent.key;
      if (key === "Enter" || key === " " || key === "Spacebar") {
        e.originalEvent.preventDefault(); // no keypress: markercluster's own Enter handling stays out
        focusInside(e.layer);
        group.fire("click", {layer: e.layer}); // markercluster names it « clusterclick » and opens the group
      }
    });
    group.on("keydown", function (e) {
      var key = e.originalEvent.key;
      if ((key === " " || key === "Spacebar") && e.layer.getPopup()) {
        e.originalEvent.preventDefault(); // not a page scroll
        e.layer.openPopup();
      }
    });
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

  var sources = {}; // points file URL -> promise of its points

  function item(point, root) {
    var li = document.createElement("li");
    li.dataset.lat = point.lat;
    li.dataset.lon = point.lon;
    li.dataset.title = point.title;
    function link(target) {
      var a = document.createElement("a");
      a.href = new URL(target.url, root).pathname; // as the lists of small maps write them
      a.textContent = target.title;
      return a;
    }
    li.appendChild(link(point));
    if (point.address) {
      var address = document.createElement("span");
      address.className = "map-address";
      address.textContent = point.address;
      li.append(", ", address);
    }
    if (point.approximate) {
      var approx = document.createElement("span");
      approx.className = "map-approx";
      approx.textContent = "(position approximative)";
      li.append(" ", approx);
    }
    if (point.hosted.length) {
      var hosted = document.createElement("p");
      hosted.className = "map-hosted";
      hosted.textContent = point.hosted.length + " structure" + (point.hosted.length > 1 ? "s" : "") + " sur place :";
      var ul = document.createElement("ul");
      point.hosted.forEach(function (a) {
        var one = document.createElement("li");
        one.appendChild(link(a));
        ul.appendChild(one);
      });
      li.append(hosted, ul);
    }
    return li;
  }

  function pointsOf(container) {
    if (!container.dataset.source) {
      var list = document.getElementById(container.dataset.points);
      return Promise.resolve(list ? Array.prototype.slice.call(list.querySelectorAll(":scope > li[data-lat]")) : []);
    }
    var url = new URL(container.dataset.source, document.baseURI).href;
    if (!(url in sources)) {
      sources[url] = fetch(url).then(function (r) {
        return r.ok ? r.json() : {points: []};
      }).then(function (data) {
        return data.points;
      }).catch(function () {
        return [];
      });
    }
    var within = container.dataset.within;
    var root = new URL("../", url); // the file is carte/points.json: its URLs are from the site's root
    return sources[url].then(function (found) {
      return found.filter(function (p) {
        return !within || p.territoires.indexOf(within) >= 0;
      }).map(function (p) { return item(p, root); });
    });
  }

  function init(container, maps) {
    pointsOf(container).then(function (items) { drawMap(container, items, maps); });
  }

  function drawMap(container, items, maps) {
    if (!(items.length || container.dataset.bounds)) {
      container.remove();
      return;
    }
    container.hidden = false;
    // Leaflet's own labels are in English: the page is in French (WCAG 3.1.2).
    var map = L.map(container, {scrollWheelZoom: false, maxZoom: 19, zoomControl: false, zoomSnap: 0.25});
    L.control.zoom({zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière"}).addTo(map);
    map.on("popupopen", function (e) {
      var close = e.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", "Fermer");
        close.title = "Fermer";
      }
    });
    var bounds = items.map(function (item) { return [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)]; });
    var box = container.dataset.bounds ? container.dataset.bounds.split(",").map(parseFloat) : null;
    if (box) { // the territory itself, and any of its places outside it
      map.fitBounds(L.latLngBounds([[box[1], box[0]], [box[3], box[2]]].concat(bounds)), {padding: [20, 20]});
    } else if (bounds.length === 1) {
      map.setView(bounds[0], 12);
    } else {
      map.fitBounds(bounds, {padding: [30, 30], maxZoom: 13});
    }
    var entry = {map: map, container: container, consent: null};
    if (sameOrigin(container.dataset.tiles) || consented()) {
      addTiles(map, container);
    } else {
      entry.consent = tilesButton(map, container, maps);
    }
    maps.push(entry);
    // The markers, then the outlines, each in a task of its own: the page stays responsive.
    setTimeout(function () {
      var group = L.markerClusterGroup
        ? L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40, iconCreateFunction: clusterIcon})
        : L.featureGroup();
      items.forEach(function (item, i) {
        var title = item.dataset.title;
        var marker = L.marker(bounds[i], {title: title, alt: title, keyboard: true});
        marker.bindPopup(popup(item), {maxHeight: 320});
        group.addLayer(marker);
      });
      map.addLayer(group);
      keyboard(map, group);
      setTimeout(function () { outlines(map, container); }, 0);
    }, 0);
  }

  function start() {
    var maps = [];
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), function (c) {
      init(c, maps);
    });
  }

  // Leaflet and its stylesheets, beside this script: fetched only when a map is about to be seen
  // (a map far down an entry page costs nothing to a reader who does not scroll to it), and the
  // maps are drawn once they are in. If they fail, the list of places is still there.
  var STYLES = ["vendor/leaflet/leaflet.css", "vendor/leaflet.markercluster/MarkerCluster.css",
                "vendor/leaflet.markercluster/MarkerCluster.Default.css", "map.css"];
  var SCRIPTS = ["vendor/leaflet/leaflet.js", "vendor/leaflet.markercluster/leaflet.markercluster.js"];
  var NEAR = "800px 0px"; // how close to the window a map starts loading

  function fetchAll(then) {
    var waiting = STYLES.length + 1;
    function one() {
      waiting -= 1;
      if (waiting === 0) {
        then();
      }
    }
    STYLES.forEach(function (path) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = new URL(path, here).href;
      link.onload = link.onerror = one;
      document.head.appendChild(link);
    });
    (function next(i) { // in order: markercluster extends Leaflet
      if (i === SCRIPTS.length) {
        one();
        return;
      }
      var script = document.createElement("script");
      script.src = new URL(SCRIPTS[i], here).href;
      script.onload = function () { next(i + 1); };
      script.onerror = one;
      document.head.appendChild(script);
    })(0);
  }

  function drawable(c) {
    var list = c.dataset.points && document.getElementById(c.dataset.points);
    return Boolean(c.dataset.bounds || c.dataset.source || (list && list.querySelector(":scope > li[data-lat]")));
  }

  function draw(containers) {
    fetchAll(function () {
      if (typeof L === "undefined") {
        containers.forEach(function (c) { c.remove(); });
      } else {
        start();
      }
    });
  }

  function ready() {
    // With scripting on, style.css keeps each map's place (hidden) from the first paint, so that
    // nothing moves when the map is drawn. A map that cannot be drawn gives its place back.
    var containers = [];
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), function (c) {
      if (drawable(c)) {
        containers.push(c);
      } else {
        c.remove();
      }
    });
    if (!containers.length) {
      return;
    }
    if (!("IntersectionObserver" in window)) {
      draw(containers);
      return;
    }
    var watcher = new IntersectionObserver(function (seen) {
      if (seen.some(function (e) { return e.isIntersecting; })) {
        watcher.disconnect();
        draw(containers);
      }
    }, {rootMargin: NEAR});
    containers.forEach(function (c) { watcher.observe(c); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
