/* Body finder: type a name (Thai or English) or pick province → district. The server-rendered
   GET forms work without this script. */
(function () {
  "use strict";
  var script = document.getElementById("finder-script");
  var urls = { districts: script.getAttribute("data-districts"), bodies: script.getAttribute("data-bodies") };
  var L10N = JSON.parse(document.getElementById("finder-labels").textContent);
  var q = document.getElementById("finder-q");
  var province = document.getElementById("finder-province");
  var district = document.getElementById("finder-district");
  var results = document.getElementById("finder-results");
  var status = document.getElementById("finder-status");
  var seq = 0, timer = null;

  function show(bodies) {
    results.innerHTML = "";
    bodies.forEach(function (b) {
      var li = document.createElement("li"), a = document.createElement("a"), small = document.createElement("small");
      a.href = b.url; a.textContent = b.name;
      small.textContent = [b.kind, b.district, b.province, b.area ? L10N.area + b.area : ""].filter(Boolean).join(" · ");
      a.appendChild(small); li.appendChild(a); results.appendChild(li);
    });
    status.textContent = bodies.length ? L10N.found.replace("%(n)s", bodies.length) : L10N.none;
  }
  function fetchJson(url) {
    var mine = ++seq;
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) { if (mine !== seq) throw new Error("stale"); return data; });
  }
  q.addEventListener("input", function () {
    clearTimeout(timer);
    var term = q.value.trim();
    if (!term) { results.innerHTML = ""; status.textContent = ""; return; }
    timer = setTimeout(function () {
      fetchJson(urls.bodies + "?q=" + encodeURIComponent(term)).then(function (d) { show(d.bodies); }).catch(function () {});
    }, 200);
  });
  document.getElementById("finder-search").addEventListener("submit", function (e) { e.preventDefault(); });
  province.addEventListener("change", function () {
    district.innerHTML = "";
    var first = document.createElement("option"); first.value = ""; first.textContent = L10N.pick_district;
    district.appendChild(first); district.disabled = true;
    if (!province.value) return;
    fetchJson(urls.districts + "?province=" + encodeURIComponent(province.value)).then(function (d) {
      d.districts.forEach(function (x) {
        var o = document.createElement("option"); o.value = x.code; o.textContent = x.name; district.appendChild(o);
      });
      district.disabled = false; district.focus();
    }).catch(function () {});
  });
  district.addEventListener("change", function () {
    if (!district.value) return;
    q.value = "";
    fetchJson(urls.bodies + "?district=" + encodeURIComponent(district.value)).then(function (d) { show(d.bodies); }).catch(function () {});
  });
})();
