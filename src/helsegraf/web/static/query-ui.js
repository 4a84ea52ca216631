/* Start YASGUI on the page's #yasgui element, pointed at this server's /sparql, with the project's prefixes,
 * and make every example in the gallery open in the editor with one click. Kept in a static file because the
 * Content-Security-Policy forbids inline scripts. */
(function () {
  "use strict";
  var host = document.getElementById("yasgui");
  if (!host || typeof window.Yasgui === "undefined") return;
  var prefixes = JSON.parse(host.dataset.prefixes || "{}");
  var endpoint = new URL(host.dataset.endpoint || "/sparql", window.location.href).href;

  if (window.HelsegrafChartPlugin) {
    window.Yasgui.Yasr.registerPlugin("chart", window.HelsegrafChartPlugin);
  }

  var yasgui = new window.Yasgui(host, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "helsegraf-" + endpoint,
    populateFromUrl: false,
    yasr: { prefixes: prefixes, pluginOrder: ["table", "response", "chart"], defaultPlugin: "table" },
    yasqe: { persistenceId: null }
  });

  /* Put the project's prefixes into a query that lacks them, so examples and typed queries just work. */
  function withPrefixes(query) {
    var missing = Object.keys(prefixes).filter(function (p) {
      var declared = new RegExp("PREFIX\\s+" + p + "\\s*:", "i").test(query);
      var used = new RegExp("(^|[\\s(,/^|!{])" + p + ":", "m").test(query);
      return used && !declared;
    });
    return missing.map(function (p) { return "PREFIX " + p + ": <" + prefixes[p] + ">"; }).join("\n")
      + (missing.length ? "\n" : "") + query;
  }

  function openQuery(query, title) {
    var tab = yasgui.addTab(true, { name: title || "Spørring", requestConfig: { endpoint: endpoint } });
    tab.setQuery(withPrefixes(query));
    tab.show();
    host.scrollIntoView({ behavior: "smooth", block: "start" });
    return tab;
  }

  var params = new URLSearchParams(window.location.search);
  var tab = yasgui.getTab();
  if (params.get("query")) {
    openQuery(params.get("query"), params.get("title") || undefined);
  } else if (tab && !tab.getQuery().trim().length) {
    tab.setQuery(host.dataset.initialQuery);
  } else if (tab && /^\s*(PREFIX[^\n]*\n\s*)*SELECT \* WHERE \{\s*\?sub \?pred \?obj \.\s*\} LIMIT 10\s*$/i.test(tab.getQuery())) {
    tab.setQuery(host.dataset.initialQuery); // replace YASGUI's generic sample by ours
  }

  document.querySelectorAll("a.open-example").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      openQuery(link.dataset.query, link.dataset.title);
    });
  });
  window.helsegrafYasgui = yasgui;
})();
