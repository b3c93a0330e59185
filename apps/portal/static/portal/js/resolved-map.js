/* The body's map of recently resolved cases. Works with no tile server: the points are drawn on a
   plain background, fitted to their extent. */
(function () {
  "use strict";
  function init() {
    var el = document.getElementById("resolved-map");
    if (!el || typeof L === "undefined") return;
    var points = JSON.parse(document.getElementById("resolved-points").textContent);
    var center = (el.getAttribute("data-center") || "13.7,100.5").split(",").map(Number);
    var map = L.map(el, { scrollWheelZoom: false }).setView(center, 13);
    var tiles = el.getAttribute("data-tiles");
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    var layer = L.featureGroup();
    points.forEach(function (p) {
      L.circleMarker([p.lat, p.lng], { radius: 7, color: "#1e6b34", weight: 2, fillOpacity: 0.7 })
        .bindTooltip(p.category + " · " + p.resolved).addTo(layer);
    });
    layer.addTo(map);
    if (points.length > 1) map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 16 });
    else if (points.length === 1) map.setView([points[0].lat, points[0].lng], 15);
  }
  if (document.readyState === "complete") init(); else window.addEventListener("load", init);
})();
