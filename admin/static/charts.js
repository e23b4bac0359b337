/* Draws each chart of the page (<figure data-chart>, from templates/hrpark/_charts.html) with
   ECharts from its JSON options, in ECharts' Chinese locale on a Chinese page; the figure's
   "图表" / "表格" buttons switch between the chart and the table of the same numbers. */
(function () {
  "use strict";
  if (!window.echarts) { return; }

  function show(figure, view, chart) {
    figure.querySelectorAll(".chart-canvas, .chart-undrawn").forEach(function (part) { part.hidden = view !== "chart"; });
    figure.querySelector(".chart-table").hidden = view !== "table";
    figure.querySelectorAll(".chart-views button").forEach(function (button) {
      var on = button.getAttribute("data-view") === view;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (view === "chart" && chart) { chart.resize(); }  // drawn while hidden, it has no size
  }

  function draw(figure) {
    var holder = figure.querySelector(".chart-canvas");
    var source = figure.querySelector("script.chart-options");
    if (!holder || !source) { return; }
    var chinese = figure.getAttribute("data-language") !== "en";
    var locale = chinese ? "zh-CN" : "en";
    var unit = figure.getAttribute("data-unit") || "";
    var money = new Intl.NumberFormat(locale, {minimumFractionDigits: 2, maximumFractionDigits: 2});
    var whole = new Intl.NumberFormat(locale, {maximumFractionDigits: 0});
    var options = JSON.parse(source.textContent);
    options.tooltip.valueFormatter = function (value) {
      return chinese ? money.format(value) + unit : unit + " " + money.format(value);
    };
    [options.xAxis, options.yAxis].forEach(function (axis) {
      if (axis.type === "value") { axis.axisLabel = {formatter: function (value) { return whole.format(value); }}; }
    });
    show(figure, "chart", null);  // shown before ECharts measures it
    var chart = window.echarts.init(holder, null, {locale: chinese ? "ZH" : "EN"});
    chart.setOption(options);
    window.addEventListener("resize", function () { chart.resize(); });
    var views = figure.querySelector(".chart-views");
    views.hidden = false;
    views.addEventListener("click", function (event) {
      var view = event.target.getAttribute("data-view");
      if (view) { show(figure, view, chart); }
    });
  }

  document.querySelectorAll("figure[data-chart]").forEach(draw);
})();
