/* Maps of public points (the body's resolved cases on its home page, the public reports): each
   .map[data-points] draws the points of the JSON script it names. Works with no tile server: the
   points are drawn on a plain background, fitted to their extent; a point with a url opens it. */
(function () {
  "use strict";
  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-points"));
    if (!source) return;
    var points = JSON.parse(source.textContent);
    var center = (el.getAttribute("data-center") || "13.7,100.5").split(",").map(Number);
    var map = L.map(el, { scrollWheelZoom: false }).setView(center, 13);
    var tiles = el.getAttribute("data-tiles");
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    var layer = L.featureGroup();
    points.forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lng], { radius: 7, color: "#1e6b34", weight: 2, fillOpacity: 0.7 })
        .bindTooltip(p.label || p.category + " · " + p.resolved).addTo(layer);
      if (p.url) marker.on("click", function () { window.location.href = p.url; });
    });
    layer.addTo(map);
    if (points.length > 1) map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 16 });
    else if (points.length === 1) map.setView([points[0].lat, points[0].lng], 15);
  }
  function init() {
    if (typeof L === "undefined") return;
    Array.prototype.forEach.call(document.querySelectorAll(".map[data-points]"), draw);
  }
  if (document.readyState === "complete") init(); else window.addEventListener("load", init);
})();
