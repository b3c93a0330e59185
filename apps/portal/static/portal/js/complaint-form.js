/* Complaint form: photos resized in the browser, map pin and "use my location", anonymous toggle.
   The form works without this script (plain upload, no pin). */
(function () {
  "use strict";
  var form = document.getElementById("complaint-form");
  if (!form) return;
  var L10N = JSON.parse(document.getElementById("form-labels").textContent);
  var MAX_PHOTOS = parseInt(form.getAttribute("data-max-photos"), 10) || 5;
  var MAX_SIDE = 1600, QUALITY = 0.8;

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  /* --- anonymous toggle --- */
  var anon = document.getElementById("id_anonymous");
  var contact = document.getElementById("contact-fields");
  function syncAnon() { contact.hidden = anon.checked; }
  anon.addEventListener("change", syncAnon); syncAnon();

  /* --- consent to be contacted: offered for a channel only once its contact is filled in --- */
  Array.prototype.forEach.call(document.querySelectorAll("[data-contact-for]"), function (choice) {
    var given = document.getElementById(choice.getAttribute("data-contact-for"));
    var box = choice.querySelector("input");
    if (!given || !box) return;
    function sync() {
      var empty = !given.value.trim();
      choice.hidden = empty && !choice.classList.contains("field--error");
      if (empty && choice.hidden) box.checked = false;
    }
    given.addEventListener("input", sync); sync();
  });

  /* --- photos --- */
  var input = document.getElementById("id_photos");
  var previews = document.getElementById("photo-previews");
  var kept = [];  // resized File objects
  var canRewrite = typeof DataTransfer !== "undefined";

  function resize(file) {
    return new Promise(function (resolve) {
      if (!/^image\//.test(file.type)) { resolve(file); return; }
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.naturalWidth * scale);
        canvas.height = Math.round(img.naturalHeight * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg" }));
        }, "image/jpeg", QUALITY);
      };
      img.onerror = function () { URL.revokeObjectURL(url); resolve(file); };
      img.src = url;
    });
  }

  function render() {
    previews.innerHTML = "";
    kept.forEach(function (file, index) {
      var li = document.createElement("li");
      var img = document.createElement("img");
      img.alt = L10N.photo + " " + (index + 1);
      img.src = URL.createObjectURL(file);
      var btn = document.createElement("button");
      btn.type = "button"; btn.textContent = "×";
      btn.setAttribute("aria-label", L10N.remove + " " + (index + 1));
      btn.addEventListener("click", function () { kept.splice(index, 1); sync(); render(); });
      li.appendChild(img); li.appendChild(btn); previews.appendChild(li);
    });
  }

  function sync() {
    if (!canRewrite) return;
    var dt = new DataTransfer();
    kept.forEach(function (f) { dt.items.add(f); });
    input.files = dt.files;
  }

  var busy = false;
  if (canRewrite) {
    input.addEventListener("change", function () {
      var chosen = Array.prototype.slice.call(input.files);
      var room = MAX_PHOTOS - kept.length;
      var status = document.getElementById("photos-help");
      if (chosen.length > room) { status.textContent = L10N.too_many; chosen = chosen.slice(0, Math.max(room, 0)); }
      busy = true;
      Promise.all(chosen.map(resize)).then(function (files) {
        kept = kept.concat(files).slice(0, MAX_PHOTOS);
        sync(); render(); busy = false;
      });
    });
  }
  form.addEventListener("submit", function (event) {
    if (busy) { event.preventDefault(); return; }
    var button = document.getElementById("submit-complaint");
    button.disabled = true; button.textContent = L10N.sending;
  });

  /* --- map pin --- */
  var latInput = document.getElementById("id_latitude");
  var lngInput = document.getElementById("id_longitude");
  var statusLine = document.getElementById("location-status");
  var clearBtn = document.getElementById("clear-location");
  var mapEl = document.getElementById("pick-map");
  var map = null, marker = null;

  function setPin(lat, lng, zoom) {
    latInput.value = lat.toFixed(6); lngInput.value = lng.toFixed(6);
    statusLine.textContent = L10N.pinned + ": " + latInput.value + ", " + lngInput.value;
    clearBtn.hidden = false;
    latInput.dispatchEvent(new Event("change", { bubbles: true }));  // nearby-reports.js listens
    if (map) {
      if (marker) marker.setLatLng([lat, lng]);
      else marker = L.circleMarker([lat, lng], { radius: 10, color: "#b3261e", weight: 3, fillOpacity: 0.6 }).addTo(map);
      map.setView([lat, lng], zoom || map.getZoom());
    }
  }
  clearBtn.addEventListener("click", function () {
    latInput.value = ""; lngInput.value = ""; statusLine.textContent = L10N.cleared; clearBtn.hidden = true;
    if (marker) { marker.remove(); marker = null; }
    latInput.dispatchEvent(new Event("change", { bubbles: true }));
  });

  function initMap() {
    if (typeof L === "undefined" || !mapEl) return;
    var center = (mapEl.getAttribute("data-center") || "13.7,100.5").split(",").map(Number);
    map = L.map(mapEl, { zoomControl: true, attributionControl: true }).setView(center, 14);
    var tiles = mapEl.getAttribute("data-tiles");
    if (tiles) L.tileLayer(tiles, { maxZoom: 19, attribution: L10N.tiles_attribution }).addTo(map);
    map.on("click", function (e) { setPin(e.latlng.lat, e.latlng.lng); });
    if (latInput.value && lngInput.value) setPin(parseFloat(latInput.value), parseFloat(lngInput.value), 16);
  }
  if (document.readyState === "complete") initMap(); else window.addEventListener("load", initMap);

  document.getElementById("use-location").addEventListener("click", function () {
    if (!navigator.geolocation) { statusLine.textContent = L10N.no_geo; return; }
    statusLine.textContent = L10N.locating;
    navigator.geolocation.getCurrentPosition(
      function (pos) { setPin(pos.coords.latitude, pos.coords.longitude, 17); },
      function () { statusLine.textContent = L10N.denied; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
