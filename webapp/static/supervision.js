// Charts of the supervision dashboard (Chart.js from npm); the numbers are also in the tables below.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("supervision-chart-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  // each chart carries its title (the canvas's aria-label) and Vietnamese number format
  const draw = (id, type, labels, values, label) => {
    const canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, {type, data: {labels, datasets: [{label, data: values}]},
                                   options: {locale: "vi-VN", // dossiers are counted whole: no "1,5" on the bar chart's axis
                                             scales: type === "bar" ? {y: {beginAtZero: true, ticks: {precision: 0}}} : {},
                                             plugins: {legend: {display: type !== "bar"},
                                             title: {display: true, text: canvas.getAttribute("aria-label")}}}});
  };
  draw("chart-lateness", "doughnut", data.labels.lateness, data.lateness);
  draw("chart-channels", "pie", data.labels.channels, data.channels);
  draw("chart-procedures", "bar", data.procedures, data.received, data.labels.received);
});
