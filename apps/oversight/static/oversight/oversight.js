/* Oversight pages. Wide tables scroll inside themselves on a phone (the page never scrolls
   sideways): one that overflows is made reachable with the keyboard (tabindex) and named.
   Charts (Chart.js 4). Honest axes: counts from 0 in whole numbers, percentages from 0 to
   100 %, every month of the period on the axis, and a month with no resolution is a gap in the
   on-time line (its tooltip says so), never 0 %. Data and words come from the page (json_script). */
(function () {
  "use strict";
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return; }
    var d = JSON.parse(source.textContent);
    var datasets = d.counts.map(function (s) {
      return {type: canvas.dataset.kind === "line" ? "line" : "bar", label: s.label, data: s.data, yAxisID: "y"};
    });
    var scales = {
      x: {ticks: {autoSkip: true, maxRotation: 0}},
      y: {beginAtZero: true, min: 0, ticks: {precision: 0}, title: {display: true, text: d.count_axis}}
    };
    if (d.pct) {
      datasets.push({type: "line", label: d.pct.label, data: d.pct.data, yAxisID: "pct", spanGaps: false,
                     pointRadius: 4});
      scales.pct = {position: "right", min: 0, max: 100, grid: {drawOnChartArea: false},
                    ticks: {stepSize: 25, callback: function (v) { return v + "%"; }},
                    title: {display: true, text: d.pct_axis}};
    }
    new Chart(canvas, {data: {labels: d.labels, datasets: datasets}, options: {
      responsive: true, maintainAspectRatio: false,
      plugins: {tooltip: {callbacks: {label: function (item) {
        if (item.dataset.yAxisID === "pct") {
          return item.raw === null ? item.dataset.label + ": " + d.no_figure : item.dataset.label + ": " + item.raw + "%";
        }
        return item.dataset.label + ": " + item.raw;
      }}}},
      scales: scales}});
  }
  function channels(canvas) {
    var d = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    new Chart(canvas, {type: "bar", data: {labels: d.labels, datasets: [{label: d.label, data: d.data}]},
      options: {indexAxis: "y", responsive: true, maintainAspectRatio: false, plugins: {legend: {display: false}},
                scales: {x: {beginAtZero: true, min: 0, ticks: {precision: 0}}}}});
  }
  function scrollable() {
    document.querySelectorAll(".ov-table").forEach(function (table) {
      if (table.closest(".ov-scroll")) { return; }
      if (table.scrollWidth > table.clientWidth + 1) {
        table.setAttribute("tabindex", "0");
      } else {
        table.removeAttribute("tabindex");
      }
    });
  }
  scrollable();
  window.addEventListener("resize", scrollable);
  // The page's font arrives after this script (font-display: swap) and widens the Thai columns.
  if (document.fonts && document.fonts.ready) { document.fonts.ready.then(scrollable); }
  if (typeof Chart === "undefined") { return; }
  // A canvas draws text in the font it is given, and only once that font is loaded: the page's
  // (Sarabun, vendored), else Thai labels are boxes where the system has no Thai font.
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  function drawAll() {
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.kind === "channels") { channels(canvas); } else { draw(canvas); }
    });
  }
  if (document.fonts && document.fonts.load) {
    Promise.all([document.fonts.load("16px Sarabun", "ก"), document.fonts.load("16px Sarabun", "A")])
      .then(drawAll, drawAll);
  } else { drawAll(); }
})();
