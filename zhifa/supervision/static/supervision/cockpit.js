// The cockpit's charts (ECharts, vendored from its npm package and served from our own origin).
// The figures come from the page's <script type="application/json" id="cockpit-data"> block.
(function () {
  "use strict";
  var source = document.getElementById("cockpit-data");
  if (!source || typeof window.echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var charts = [];

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  }

  var rows = data.rows || { labels: [] };
  if (rows.labels.length) {
    draw("cockpit-rows", {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: rows.labels, axisLabel: { interval: 0, rotate: rows.labels.length > 3 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "案件", type: "bar", data: rows.cases, itemStyle: { color: "#1f4e8c" } },
        { name: "在办", type: "bar", data: rows.open, itemStyle: { color: "#7aa7d9" } },
        { name: "超期", type: "bar", data: rows.overdue, itemStyle: { color: "#b3261e" } }
      ]
    });
  }
  if ((data.statuses || []).length) {
    draw("cockpit-status", {
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      legend: { type: "scroll", bottom: 0 },
      series: [{ name: "案件状态", type: "pie", radius: ["35%", "62%"], center: ["50%", "45%"], data: data.statuses }]
    });
  }
  var remedies = data.remedies || { labels: [] };
  if (remedies.labels.length) {
    draw("cockpit-remedies", {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: remedies.labels, axisLabel: { interval: 0, rotate: remedies.labels.length > 3 ? 30 : 0 } },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      series: [
        { name: "纠错率", type: "bar", data: remedies.correction, itemStyle: { color: "#9a6300" } },
        { name: "败诉率", type: "bar", data: remedies.loss, itemStyle: { color: "#b3261e" } }
      ]
    });
  }
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
