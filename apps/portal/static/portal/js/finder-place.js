/* Finder by place: the province → district → subdistrict selects fill from the server, and "use my
   location" sends the phone's position. The GET form works without this script (one step a time). */
(function () {
  "use strict";
  var script = document.getElementById("place-script");
  var L10N = JSON.parse(document.getElementById("place-labels").textContent);
  var province = document.getElementById("place-province");
  var district = document.getElementById("place-district");
  var subdistrict = document.getElementById("place-subdistrict");

  function fill(select, rows, placeholder) {
    select.innerHTML = "";
    var first = document.createElement("option"); first.value = ""; first.textContent = placeholder;
    select.appendChild(first);
    rows.forEach(function (x) {
      var o = document.createElement("option"); o.value = x.code; o.textContent = x.name; select.appendChild(o);
    });
    select.disabled = rows.length === 0;
  }
  function load(url, key, select, placeholder) {
    fill(select, [], placeholder);
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (d) { fill(select, d[key], placeholder); })
      .catch(function () {});
  }
  province.addEventListener("change", function () {
    fill(subdistrict, [], L10N.pick_subdistrict);
    if (!province.value) { fill(district, [], L10N.pick_district); return; }
    load(script.getAttribute("data-districts") + "?province=" + encodeURIComponent(province.value),
         "districts", district, L10N.pick_district);
  });
  district.addEventListener("change", function () {
    if (!district.value) { fill(subdistrict, [], L10N.pick_subdistrict); return; }
    load(script.getAttribute("data-subdistricts") + "?district=" + encodeURIComponent(district.value),
         "subdistricts", subdistrict, L10N.pick_subdistrict);
  });

  var locate = document.getElementById("place-locate");
  var status = document.getElementById("place-locate-status");
  locate.hidden = false;
  document.getElementById("place-use-location").addEventListener("click", function () {
    if (!navigator.geolocation) { status.textContent = L10N.no_geo; return; }
    status.textContent = L10N.locating;
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("place-lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("place-lng").value = pos.coords.longitude.toFixed(6);
      locate.submit();
    }, function () { status.textContent = L10N.denied; }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
  });
})();
