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
      options: { responsive: true, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
                 font: { family: "Sarabun" } }
    });
  }
  if (document.readyState === "complete") init(); else window.addEventListener("load", init);
})();
