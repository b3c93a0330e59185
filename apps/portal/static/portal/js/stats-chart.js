(function () {
  "use strict";
  function init() {
    var canvas = document.getElementById("stats-chart");
    if (!canvas || typeof Chart === "undefined") return;
    var script = document.getElementById("stats-script");
    var data = JSON.parse(document.getElementById("chart-data").textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: script.getAttribute("data-received"), data: data.received, backgroundColor: "#0b4f8a" },
          { label: script.getAttribute("data-resolved"), data: data.resolved, backgroundColor: "#1e6b34" }
        ]
      },
      options: { responsive: true, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  // The canvas needs the page's font loaded (Sarabun, vendored), else Thai labels are boxes where
  // the system has no Thai font.
  function ready() {
    if (typeof Chart !== "undefined") Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    if (document.fonts && document.fonts.load) {
      Promise.all([document.fonts.load("16px Sarabun", "ก"), document.fonts.load("16px Sarabun", "A")]).then(init, init);
    } else init();
  }
  if (document.readyState === "complete") ready(); else window.addEventListener("load", ready);
})();
