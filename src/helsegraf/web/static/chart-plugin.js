/* A YASR result plugin that draws a bar chart when a SELECT result has a label column and a number column.
 * Drawn as SVG with DOM calls (textContent, never innerHTML), so values from the data cannot inject markup,
 * and no chart library or CDN is needed. Registered before the UI starts (see query-ui.js). */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var NUMERIC = /#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger|gYear)$/;

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function isNumber(binding) {
    return binding && binding.type === "literal" && binding.datatype && NUMERIC.test(binding.datatype)
      && !isNaN(parseFloat(binding.value));
  }

  /* The first column whose every bound value is a number, and the first other column as labels. */
  function chartColumns(results) {
    if (!results || !results.getVariables) return null;
    var vars = results.getVariables(), rows = results.getBindings() || [];
    if (rows.length === 0 || rows.length > 60 || vars.length < 2) return null;
    var value = vars.find(function (v) {
      return rows.every(function (r) { return r[v] === undefined || isNumber(r[v]); })
        && rows.some(function (r) { return r[v] !== undefined; });
    });
    if (!value) return null;
    var label = vars.find(function (v) { return v !== value; });
    return { label: label, value: value, rows: rows };
  }

  function shortLabel(binding, prefixes) {
    if (!binding) return "";
    var text = binding.value;
    if (binding.type === "uri") {
      Object.keys(prefixes || {}).some(function (p) {
        if (text.indexOf(prefixes[p]) === 0) { text = p + ":" + text.slice(prefixes[p].length); return true; }
        return false;
      });
    }
    return text.length > 48 ? text.slice(0, 47) + "…" : text;
  }

  function ChartPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = "Diagram";
  }
  ChartPlugin.prototype.canHandleResults = function () {
    return !!chartColumns(this.yasr.results);
  };
  ChartPlugin.prototype.getIcon = function () {
    var span = document.createElement("span");
    span.textContent = "▮▮";
    span.setAttribute("aria-hidden", "true");
    return span;
  };
  ChartPlugin.prototype.draw = function () {
    var cols = chartColumns(this.yasr.results);
    if (!cols) return;
    var prefixes = this.yasr.getPrefixes ? this.yasr.getPrefixes() : {};
    var rowH = 24, labelW = 320, barW = 420, top = 28;
    var max = Math.max.apply(null, cols.rows.map(function (r) { return r[cols.value] ? parseFloat(r[cols.value].value) : 0; }).concat([0]));
    var height = top + cols.rows.length * rowH + 10;
    var svg = el("svg", { xmlns: SVG, width: labelW + barW + 80, height: height, role: "img", "class": "hg-chart",
      viewBox: "0 0 " + (labelW + barW + 80) + " " + height });
    svg.appendChild(el("title", {}, cols.value + " / " + cols.label));
    svg.appendChild(el("text", { x: 4, y: 18, "font-weight": "bold" }, "?" + cols.label + "  →  ?" + cols.value));
    cols.rows.forEach(function (row, i) {
      var y = top + i * rowH, v = row[cols.value] ? parseFloat(row[cols.value].value) : 0;
      var w = max > 0 ? Math.max(1, (v / max) * barW) : 1;
      svg.appendChild(el("text", { x: labelW - 8, y: y + 16, "text-anchor": "end" }, shortLabel(row[cols.label], prefixes)));
      svg.appendChild(el("rect", { x: labelW, y: y + 3, width: w, height: rowH - 6, fill: "#1f5f8b" }));
      svg.appendChild(el("text", { x: labelW + w + 6, y: y + 16 }, row[cols.value] ? row[cols.value].value : ""));
    });
    var wrap = document.createElement("div");
    wrap.className = "hg-chart-wrap";
    wrap.appendChild(svg);
    this.yasr.resultsEl.appendChild(wrap);
  };

  window.HelsegrafChartPlugin = ChartPlugin;
})();
