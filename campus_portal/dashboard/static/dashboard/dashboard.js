/* The dashboard's two charts, drawn with Chart.js (vendored, see docs/dependencies.md). The data
   come from the page itself (json_script), i.e. from the same selectors as the numbers. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("dashboard-charts").textContent);
  const labels = JSON.parse(document.getElementById("dashboard-labels").textContent);
  Chart.defaults.font.family = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
  Chart.defaults.animation = false;  // drawn at once: screenshots and slow machines
  const pct = (v) => (v === null ? null : Math.round(v * 1000) / 10);
  const percentAxis = { position: "right", min: 0, max: 100, ticks: { callback: (v) => v + "%" } };

  new Chart(document.getElementById("trend-chart"), {
    data: {
      labels: data.trend.map((m) => m.month),
      datasets: [
        { type: "bar", label: labels.applications, data: data.trend.map((m) => m.submitted), yAxisID: "y", backgroundColor: "#9ecae1" },
        { type: "line", label: labels.realization, data: data.trend.map((m) => pct(m.realization_rate)), yAxisID: "p", borderColor: "#08519c" },
        { type: "line", label: labels.onTime, data: data.trend.map((m) => pct(m.on_time_rate)), yAxisID: "p", borderColor: "#31a354" },
        { type: "line", label: labels.satisfaction, data: data.trend.map((m) => pct(m.satisfaction_share)), yAxisID: "p", borderColor: "#e6550d" },
      ],
    },
    options: { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true }, p: percentAxis } },
  });

  new Chart(document.getElementById("pareto-chart"), {
    data: {
      labels: data.pareto.map((m) => m.name),
      datasets: [
        { type: "bar", label: labels.hf + " / " + labels.other, data: data.pareto.map((m) => m.count), yAxisID: "y",
          backgroundColor: data.pareto.map((m) => (m.hf ? "#3182bd" : "#bdbdbd")) },
        { type: "line", label: labels.cumulative, data: data.pareto.map((m) => pct(m.share)), yAxisID: "p", borderColor: "#e6550d", pointRadius: 2 },
        { type: "line", label: "80%", data: data.pareto.map(() => 80), yAxisID: "p", borderColor: "#636363", borderDash: [6, 4], pointRadius: 0 },
      ],
    },
    options: { responsive: true, maintainAspectRatio: false, scales: { x: { ticks: { autoSkip: false, maxRotation: 70, minRotation: 50 } }, y: { beginAtZero: true }, p: percentAxis } },
  });
})();
