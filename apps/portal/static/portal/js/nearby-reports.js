/* On the complaint form: once a category and a place (the pin, or หมู่ที่) are chosen, the open
   public reports of that category nearby are listed (/reports/nearby/), each with a link to its
   page where the citizen can follow it instead of filing the same case again. Filing still works
   without it. */
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
  function later() { clearTimeout(timer); timer = setTimeout(refresh, 300); }
  form.addEventListener("change", later);
  document.getElementById("id_moo") && document.getElementById("id_moo").addEventListener("input", later);
  refresh();
})();
