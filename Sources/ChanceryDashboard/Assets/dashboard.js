// Draws each chart of a dashboard page with Chart.js from its <script type="application/json" class="chart-data">
// block (the same numbers as the page's tables and the metrics API). Without Chart.js the page keeps its tables.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }
  var blocks = document.querySelectorAll("script.chart-data");
  for (var i = 0; i < blocks.length; i++) {
    var spec;
    try { spec = JSON.parse(blocks[i].textContent); } catch (e) { continue; }
    var canvas = document.getElementById("canvas-" + spec.id);
    if (!canvas) { continue; }
    var percent = spec.percent;
    var datasets = spec.datasets.map(function (d) {
      return {
        label: d.label,
        data: d.data.map(function (v) { return v === null ? null : (percent ? Math.round(v * 1000) / 10 : v); }),
        backgroundColor: d.colour, borderColor: d.colour, fill: false, spanGaps: true
      };
    });
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.displayLabels || spec.labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: {
          x: { stacked: spec.stacked },
          y: { stacked: spec.stacked, beginAtZero: true, ticks: percent ? { callback: function (v) { return v + " %"; } } : {} }
        }
      }
    });
  }
})();
