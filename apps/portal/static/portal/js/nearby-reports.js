/* On the complaint form: once a category and a place (the pin, or หมู่ที่) are chosen, the open
   public reports of that category nearby are listed (/reports/nearby/), each with a link to its
   page where the citizen can follow it instead of filing the same case again; the map shows the
   category's open reports as markers. Filing still works without it. */
(function () {
  "use strict";
  var form = document.getElementById("complaint-form");
  var box = document.getElementById("nearby-reports");
  if (!form || !box) return;
  var list = document.getElementById("nearby-list");
  var labels = JSON.parse(document.getElementById("nearby-labels").textContent);
  var timer = null, last = "";

  function value(id) { var el = document.getElementById(id); return el ? el.value : ""; }
  function query() {
    var category = form.querySelector("input[name=category]:checked");
    if (!category) return "";
    var params = new URLSearchParams({ category: category.value });
    if (value("id_latitude") && value("id_longitude")) {
      params.set("lat", value("id_latitude")); params.set("lng", value("id_longitude"));
    } else if (value("id_moo").trim()) {
      params.set("moo", value("id_moo").trim()); params.set("subdistrict", value("id_subdistrict"));
    } else return "";
    return params.toString();
  }
  function show(reports) {
    list.textContent = "";
    reports.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.url; a.textContent = r.category + (r.area ? " · " + r.area : "");
      li.appendChild(a);
      li.appendChild(document.createTextNode(" — " + r.status + " · " + labels.days.replace("%d", r.days_open)
        + (r.overdue ? " · " + labels.overdue : "")));
      list.appendChild(li);
    });
    box.hidden = reports.length === 0;
  }
  function refresh() {
    var q = query();
    if (q === last) return;
    last = q;
    if (!q) { show([]); return; }
    fetch(box.getAttribute("data-url") + "?" + q, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { reports: [] }; })
      .then(function (data) { if (q === last) show(data.reports || []); })
      .catch(function () { show([]); });
  }
  // The form's map draws the category's open reports as markers (basemap.js listens): one can be
  // followed from its popup instead of filing.
  var lastMap = "";
  function refreshMap() {
    var category = form.querySelector("input[name=category]:checked");
    var q = category ? new URLSearchParams({ category: category.value, map: "1" }).toString() : "";
    if (q === lastMap) return;
    lastMap = q;
    function draw(points) {
      if (q === lastMap) document.dispatchEvent(new CustomEvent("rongthuk:map-reports", { detail: points }));
    }
    if (!q) { draw([]); return; }
    fetch(box.getAttribute("data-url") + "?" + q, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { points: [] }; })
      .then(function (data) { draw(data.points || []); })
      .catch(function () { draw([]); });
  }
  function later() { clearTimeout(timer); timer = setTimeout(function () { refresh(); refreshMap(); }, 300); }
  form.addEventListener("change", later);
  document.getElementById("id_moo") && document.getElementById("id_moo").addEventListener("input", later);
  refresh();
  refreshMap();
})();
