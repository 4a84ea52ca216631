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

  function distinctValues(rows, v) {
    var seen = {};
    rows.forEach(function (r) { if (r[v]) seen[r[v].value] = true; });
    return Object.keys(seen).length;
  }

  /* The numeric columns, and as the default label the column that tells the rows apart best: most distinct
   * values, text before IRIs on a tie (cq-06 lists eight trusts of one region: the region column repeats, the
   * trust column does not). The user may pick other columns (see draw). */
  function chartColumns(results, chosen) {
    if (!results || !results.getVariables) return null;
    var vars = results.getVariables(), rows = results.getBindings() || [];
    if (rows.length === 0 || rows.length > 60 || vars.length < 2) return null;
    var numeric = vars.filter(function (v) {
      return rows.every(function (r) { return r[v] === undefined || isNumber(r[v]); })
        && rows.some(function (r) { return r[v] !== undefined; });
    });
    if (!numeric.length) return null;
    var value = chosen && numeric.indexOf(chosen.value) >= 0 ? chosen.value : numeric[0];
    var candidates = vars.filter(function (v) { return v !== value; });
    var score = function (v) {
      var literal = rows.some(function (r) { return r[v] && r[v].type === "literal"; }) ? 0.5 : 0;
      return distinctValues(rows, v) + literal;
    };
    var best = candidates.slice().sort(function (a, b) { return score(b) - score(a); })[0];
    var label = chosen && candidates.indexOf(chosen.label) >= 0 ? chosen.label : best;
    return { label: label, value: value, rows: rows, labels: candidates, values: numeric };
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
    this.chosen = null;
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
  function picker(id, text, options, selected, onChange) {
    var wrap = document.createElement("label");
    wrap.className = "hg-chart-pick";
    wrap.textContent = text + " ";
    var select = document.createElement("select");
    select.id = id;
    options.forEach(function (v) {
      var option = document.createElement("option");
      option.value = v;
      option.textContent = "?" + v;
      option.selected = v === selected;
      select.appendChild(option);
    });
    select.addEventListener("change", function () { onChange(select.value); });
    wrap.appendChild(select);
    return wrap;
  }

  ChartPlugin.prototype.draw = function () {
    var self = this;
    var cols = chartColumns(this.yasr.results, this.chosen);
    if (!cols) return;
    var words = ChartPlugin.words || {};
    var controls = document.createElement("div");
    controls.className = "hg-chart-controls";
    var redraw = function () { self.yasr.resultsEl.textContent = ""; self.draw(); };
    controls.appendChild(picker("hg-chart-label", words.label_column || "Label column", cols.labels, cols.label,
      function (v) { self.chosen = { label: v, value: cols.value }; redraw(); }));
    if (cols.values.length > 1) {
      controls.appendChild(picker("hg-chart-value", words.value_column || "Value column", cols.values, cols.value,
        function (v) { self.chosen = { label: cols.label, value: v }; redraw(); }));
    }
    this.yasr.resultsEl.appendChild(controls);
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
