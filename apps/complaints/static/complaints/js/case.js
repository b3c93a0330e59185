/* The staff case page: the photo viewer (a native <dialog>: focus moves into it and Escape closes
   it; the arrow keys step through the photos; focus returns to the thumbnail) and the location map
   (the pin on the tile server's map, or on a plain background when no tile server is set). */
(function () {
  "use strict";

  function viewer() {
    var dialog = document.getElementById("photo-viewer");
    if (!dialog || typeof dialog.showModal !== "function") return;  // no dialog: the links open the files
    var links = Array.prototype.slice.call(document.querySelectorAll("#photos a.thumb"));
    var image = document.getElementById("viewer-image");
    var caption = document.getElementById("viewer-caption");
    var open = document.getElementById("viewer-open");
    var index = 0, opener = null;

    function show(i) {
      index = (i + links.length) % links.length;
      var link = links[index], thumb = link.querySelector("img");
      // The thumbnail the page already holds at once (no request), the photo in its place once it
      // has arrived: on a slow link the viewer is never empty while a large photo loads.
      image.src = thumb.currentSrc || thumb.src;
      image.alt = thumb.alt;
      caption.textContent = thumb.alt + " (" + (index + 1) + "/" + links.length + ")";
      open.href = link.href;
      var full = new Image();
      full.addEventListener("load", function () { if (links[index] === link) image.src = full.src; });
      full.src = link.href;
    }
    function start(i, from) {
      opener = from;
      show(i);
      dialog.showModal();
      document.getElementById("viewer-close").focus();
    }
    links.forEach(function (link, i) {
      link.addEventListener("click", function (event) { event.preventDefault(); start(i, link); });
    });
    // A photo in the timeline opens the same viewer at that photo.
    document.querySelectorAll(".timeline a.thumb").forEach(function (link) {
      var i = links.map(function (l) { return l.href; }).indexOf(link.href);
      if (i < 0) return;
      link.addEventListener("click", function (event) { event.preventDefault(); start(i, link); });
    });
    dialog.querySelectorAll("[data-viewer-step]").forEach(function (button) {
      button.addEventListener("click", function () { show(index + Number(button.getAttribute("data-viewer-step"))); });
    });
    document.getElementById("viewer-close").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight") { show(index + 1); event.preventDefault(); }
      else if (event.key === "ArrowLeft") { show(index - 1); event.preventDefault(); }
    });
    dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
    dialog.addEventListener("close", function () { if (opener) opener.focus(); });
  }

  function map() {
    var el = document.getElementById("case-map");
    if (!el || typeof L === "undefined") return;
    var point = [Number(el.getAttribute("data-lat")), Number(el.getAttribute("data-lng"))];
    var m = L.map(el, { scrollWheelZoom: false, keyboard: false }).setView(point, 17);
    var tiles = el.getAttribute("data-tiles");
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(m);
    else el.classList.add("map--plain");
    // A circle and a ring, drawn as vectors: they show without the marker images or any tile.
    L.circle(point, { radius: 25, color: "#0b4f8a", weight: 1, fillOpacity: 0.15 }).addTo(m);
    L.circleMarker(point, { radius: 8, color: "#b3261e", weight: 3, fillOpacity: 0.9 }).addTo(m);
  }

  function init() { viewer(); map(); }
  if (document.readyState === "complete") init(); else window.addEventListener("load", init);
})();
