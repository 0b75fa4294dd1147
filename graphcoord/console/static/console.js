// Charts of the coverage page, drawn by the vendored ECharts from the page's JSON island.
(function () {
  "use strict";
  var island = document.getElementById("chart-data");
  if (!island || typeof echarts === "undefined") { return; }
  var data = JSON.parse(island.textContent);
  var levels = document.getElementById("chart-levels");
  if (levels) {
    echarts.init(levels).setOption({
      animation: false,
      tooltip: {},
      grid: { left: 40, right: 10, top: 30, bottom: 30 },
      xAxis: { type: "category", data: data.levels },
      yAxis: { type: "value", max: 100 },
      series: [{ name: data.labels.rate, type: "bar", data: data.rates, itemStyle: { color: "#b71c1c" },
                 label: { show: true, position: "top", formatter: "{c}%" } }]
    });
  }
  var children = document.getElementById("chart-children");
  if (children) {
    echarts.init(children).setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 30, bottom: 60 },
      xAxis: { type: "category", data: data.children, axisLabel: { rotate: 30, interval: 0 } },
      yAxis: { type: "value" },
      series: [
        { name: data.labels.covered, type: "bar", stack: "v", data: data.covered, itemStyle: { color: "#2e7d32" } },
        { name: data.labels.uncovered, type: "bar", stack: "v", data: data.uncovered, itemStyle: { color: "#c62828" } },
        { name: data.labels.fragile, type: "bar", data: data.fragile, itemStyle: { color: "#f9a825" } }
      ]
    });
  }
}());
