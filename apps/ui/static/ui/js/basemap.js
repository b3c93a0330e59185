/* Every Leaflet map's background when no tile arrives (none configured, the tile server
   unreachable, no internet): a light grid with a scale bar, and — from the page's #map-context
   (tenants.map_context) — the body's office, the subdistricts it serves and the other offices of
   its district, labelled, so a person can still tell where to put a pin. A map without tiles says
   so in a note on the map. Tile layers, when they load, cover the grid.

   Loaded (deferred) before leaflet.js: it hooks every map created after the page is parsed, so the
   pages' own map scripts need no change. The labels drawn here are not interactive: a tap on a
   label reaches the map (the complaint form places its pin there). The complaint form's open
   reports of the chosen category (the event rongthuk:map-reports) are: a tap opens the report's
   link to follow it instead of filing. Labels never cover one another nor a report: a label that
   would is made transparent (the office's first, then the subdistricts', then the neighbours'),
   its marker stays and its text stays in the page for a screen reader. */
(function () {
  "use strict";
  var context;
  function readContext() {
    if (context === undefined) {
      var node = document.getElementById("map-context");
      context = node ? JSON.parse(node.textContent) : null;
    }
    return context;
  }

  function install() {
    var Grid = L.GridLayer.extend({
      createTile: function () {
        var tile = document.createElement("canvas"), size = this.getTileSize();
        tile.width = size.x; tile.height = size.y;
        var g = tile.getContext("2d");
        g.fillStyle = "#f5f2ea"; g.fillRect(0, 0, size.x, size.y);
        g.strokeStyle = "#d9d3c4"; g.lineWidth = 1;
        g.beginPath(); g.moveTo(0, 0.5); g.lineTo(size.x, 0.5); g.moveTo(0.5, 0); g.lineTo(0.5, size.y); g.stroke();
        g.strokeStyle = "#e8e3d6";
        g.beginPath(); g.moveTo(0, size.y / 2); g.lineTo(size.x, size.y / 2);
        g.moveTo(size.x / 2, 0); g.lineTo(size.x / 2, size.y); g.stroke();
        return tile;
      }
    });

    function label(point, text, kind, map) {
      return L.circleMarker(point, {
        radius: kind === "office" ? 9 : kind === "place" ? 7 : 5, interactive: false, weight: 2,
        color: kind === "office" ? "#0b4f8a" : kind === "place" ? "#6a3d9a" : "#5f6368",
        fillColor: kind === "office" ? "#0b4f8a" : kind === "place" ? "#e9ddf5" : "#ffffff", fillOpacity: 0.9
      }).bindTooltip(text, { permanent: true, direction: "top", offset: [0, -8], interactive: false,
                            className: "map-label map-label--" + kind }).addTo(map);
    }

    L.Map.addInitHook(function () {
      var map = this, el = map.getContainer(), ctx = readContext();
      var hasTiles = false, sawTile = false, note = null, widened = false, touched = false, points = [];
      var ranked = [];  // labelled markers, the first kept when two labels meet
      map.on("click dragstart", function () { touched = true; });
      new Grid({ zIndex: 0, updateWhenIdle: true }).addTo(map);
      // Leaflet's own controls speak English: name them in the page's language (the .po catalogue,
      // through #map-context), and credit Leaflet without its English tooltip.
      if (map.attributionControl) map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
      if (ctx && ctx.labels && ctx.labels.zoom_in) {
        [["in", ctx.labels.zoom_in], ["out", ctx.labels.zoom_out]].forEach(function (pair) {
          var button = el.querySelector(".leaflet-control-zoom-" + pair[0]);
          if (button) { button.title = pair[1]; button.setAttribute("aria-label", pair[1]); }
        });
      }
      L.control.scale({ imperial: false }).addTo(map);

      function showNote() {
        if (note || sawTile) return;
        el.classList.add("map--no-tiles");
        if (!ctx || !ctx.labels) return;
        note = L.control({ position: "bottomleft" });
        note.onAdd = function () {
          var div = L.DomUtil.create("div", "map-note");
          div.setAttribute("role", "status");
          div.textContent = ctx.labels.no_tiles;
          return div;
        };
        note.addTo(map);
      }
      function hideNote() {
        sawTile = true;
        el.classList.remove("map--no-tiles");
        if (note) { note.remove(); note = null; }
      }
      map.on("layeradd", function (event) {
        if (!(event.layer instanceof L.TileLayer)) return;
        hasTiles = true;
        if (ctx && ctx.attribution && map.attributionControl) map.attributionControl.addAttribution(ctx.attribution);
        event.layer.on("tileload", hideNote);
        event.layer.on("tileerror", fallback);
      });

      // Without tiles, widen the view to the district's offices so there is something to recognise
      // (once, never zooming in, never after the person has touched the map).
      function fallback() {
        if (sawTile) return;
        showNote();
        if (widened || touched || points.length < 2) return;
        widened = true;
        var bounds = L.latLngBounds(points).extend(map.getCenter());
        if (!map.getBounds().contains(bounds)) map.fitBounds(bounds, { padding: [24, 24], maxZoom: map.getZoom() });
      }

      // The complaint form's open reports of the chosen category (nearby-reports.js): markers a
      // tap opens (not placing the pin), each with a link to the report's page to follow it.
      var reports = L.layerGroup().addTo(map);

      function declutter() {
        var kept = [];
        function meets(r) {
          return kept.some(function (k) { return r.left < k.right && k.left < r.right && r.top < k.bottom && k.top < r.bottom; });
        }
        reports.eachLayer(function (marker) {
          var node = marker.getElement && marker.getElement();
          if (node) kept.push(node.getBoundingClientRect());
        });
        ranked.forEach(function (marker) {
          var tip = marker.getTooltip(), node = tip && tip.getElement();
          if (!node) return;
          var r = node.getBoundingClientRect();
          var hide = r.width > 0 && meets(r);
          node.classList.toggle("map-label--hidden", hide);
          if (!hide) kept.push(r);
        });
      }
      // Tooltips move on zoom after this handler's turn: measure once they have.
      map.on("zoomend viewreset", function () { setTimeout(declutter, 0); });
      document.addEventListener("rongthuk:map-reports", function (event) {
        reports.clearLayers();
        (event.detail || []).forEach(function (r) {
          var box = document.createElement("div"), link = document.createElement("a");
          box.appendChild(document.createTextNode(r.label));
          box.appendChild(document.createElement("br"));
          link.href = r.url;
          link.textContent = (ctx && ctx.labels && ctx.labels.follow) || r.url;
          box.appendChild(link);
          var marker = L.circleMarker([r.lat, r.lng], {
            radius: 8, weight: 2, color: "#b3261e", fillColor: "#f9dedc", fillOpacity: 0.95,
            className: "map-report", bubblingMouseEvents: false
          }).bindPopup(box).addTo(reports);
          var path = marker.getElement && marker.getElement();
          if (path) path.setAttribute("data-report", r.url);
        });
        declutter();
      });

      map.whenReady(function () {
        if (!ctx) { setTimeout(function () { if (!hasTiles) showNote(); }, 0); return; }
        var neighbours = [], places = [];
        (ctx.neighbours || []).forEach(function (n) { neighbours.push(label(n.point, n.label, "neighbour", map)); points.push(n.point); });
        (ctx.places || []).forEach(function (p) { places.push(label(p.point, p.label, "place", map)); points.push(p.point); });
        if (ctx.office) { ranked.push(label(ctx.office.point, ctx.office.label, "office", map)); points.push(ctx.office.point); }
        ranked = ranked.concat(places, neighbours);
        declutter();
        // After the page's script has added its tile layer, or not.
        setTimeout(function () { if (!hasTiles) fallback(); }, 0);
      });
    });
  }

  if (typeof L !== "undefined") install();
  else document.addEventListener("DOMContentLoaded", function () { if (typeof L !== "undefined") install(); });
})();
