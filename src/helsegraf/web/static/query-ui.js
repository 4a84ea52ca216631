/* Start YASGUI on the page's #yasgui element, pointed at this server's /sparql, with the project's prefixes,
 * and make every example in the gallery open in the editor with one click. Kept in a static file because the
 * Content-Security-Policy forbids inline scripts.
 *
 * On top of YASGUI: a shared link (YASGUI writes #query=…) or ?query= opens that query; classes and properties
 * complete from this server's ontology (/ui/terms.json, never an outside service); result tables show labels
 * beside IRIs; a result cut at the server's row limit says so above the table; YASGUI's own controls speak the
 * page's language; a permalink button ties the query to the release and a hash of its result. */
(function () {
  "use strict";
  var host = document.getElementById("yasgui");
  if (!host || typeof window.Yasgui === "undefined") return;
  var prefixes = JSON.parse(host.dataset.prefixes || "{}");
  var words = JSON.parse(host.dataset.words || "{}");
  var endpoint = new URL(host.dataset.endpoint || "/sparql", window.location.href).href;
  var Yasqe = window.Yasgui.Yasqe;

  if (window.HelsegrafChartPlugin) {
    window.HelsegrafChartPlugin.words = words;
    window.Yasgui.Yasr.registerPlugin("chart", window.HelsegrafChartPlugin);
  }

  /* Classes and properties of the project's own ontology, read once from this server. */
  var termsPromise = null;
  function terms() {
    if (!termsPromise) {
      termsPromise = fetch("/ui/terms.json", { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { classes: [], properties: [] }; })
        .catch(function () { return { classes: [], properties: [] }; });
    }
    return termsPromise;
  }
  var completers = ["prefixes", "variables"];
  if (Yasqe && Yasqe.forkAutocompleter && Yasqe.Autocompleters) {
    [["class", "hgClass", "classes"], ["property", "hgProperty", "properties"]].forEach(function (spec) {
      if (!Yasqe.Autocompleters[spec[0]]) return;
      Yasqe.forkAutocompleter(spec[0], {
        name: spec[1], bulk: true, persistenceId: null,
        get: function () { return terms().then(function (t) { return t[spec[2]] || []; }); }
      }, false);
      completers.push(spec[1]);
    });
    // The built-in class and property completers ask an outside service (LOV), which the CSP blocks.
    Yasqe.defaults.autocompleters = completers.slice();
  }

  var yasgui = new window.Yasgui(host, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "helsegraf-" + endpoint,
    populateFromUrl: false,
    yasr: { prefixes: prefixes, pluginOrder: ["table", "response", "chart"], defaultPlugin: "table" },
    yasqe: { persistenceId: null, autocompleters: completers }
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
    var tab = yasgui.addTab(true, { name: title || words.query || "Spørring", requestConfig: { endpoint: endpoint } });
    tab.setQuery(withPrefixes(query));
    tab.show();
    if (typeof watchTab === "function") watchTab(tab);
    host.scrollIntoView({ behavior: "smooth", block: "start" });
    return tab;
  }

  /* A query given in the address: ?query= (the gallery, permalinks) or #query= (YASGUI's share link). */
  function queryFromAddress() {
    var search = new URLSearchParams(window.location.search);
    var hash = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var query = search.get("query") || hash.get("query");
    return query ? { query: query, title: search.get("title") || hash.get("tabTitle") || undefined } : null;
  }

  var asked = queryFromAddress();
  var tab = yasgui.getTab();
  if (asked) {
    openQuery(asked.query, asked.title);
  } else if (tab && !tab.getQuery().trim().length) {
    tab.setQuery(host.dataset.initialQuery);
  } else if (tab && /^\s*(PREFIX[^\n]*\n\s*)*SELECT \* WHERE \{\s*\?sub \?pred \?obj \.\s*\} LIMIT 10\s*$/i.test(tab.getQuery())) {
    tab.setQuery(host.dataset.initialQuery); // replace YASGUI's generic sample by ours
  }
  window.addEventListener("hashchange", function () {
    var again = queryFromAddress();
    if (again) openQuery(again.query, again.title);
  });

  document.querySelectorAll("a.open-example").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      openQuery(link.dataset.query, link.dataset.title);
    });
  });

  /* --- truncation: the server says so in X-Result-Truncated ("true; limit=N") ---------------------------- */
  function headersOf(args) {
    for (var i = 0; i < args.length; i++) {
      var a = args[i];
      if (a && a.headers && typeof a.headers.get === "function") return a.headers;
      if (a && a.header) return { get: function (name) { return a.header[name.toLowerCase()]; } };
    }
    return null;
  }
  function noticeFor(t) {
    var panel = document.getElementById(t.getId());
    var yasrEl = panel && panel.querySelector(".yasr");
    if (!yasrEl) return null;
    var notice = panel.querySelector(".hg-truncated");
    if (!notice) {
      notice = document.createElement("p");
      notice.className = "hg-truncated note";
      notice.setAttribute("role", "status");
      yasrEl.parentNode.insertBefore(notice, yasrEl);
    }
    return notice;
  }
  function watchTab(t) {
    var editor = t && t.getYasqe && t.getYasqe();
    if (!editor || editor.hgWatched) return;  // an editor exists once its tab was shown
    editor.hgWatched = true;
    editor.on("queryResponse", function () {
      var headers = headersOf(Array.prototype.slice.call(arguments));
      var value = headers ? headers.get("X-Result-Truncated") : null;
      var notice = noticeFor(t);
      if (!notice) return;
      if (value && /^true/i.test(value)) {
        var limit = (/limit=(\d+)/.exec(value) || [])[1] || "?";
        notice.textContent = (words.truncated || "Truncated at {limit} rows").replace("{limit}", limit);
        notice.hidden = false;
      } else {
        notice.textContent = "";
        notice.hidden = true;
      }
    });
  }
  yasgui.on("tabAdd", function (_y, id) { setTimeout(function () { watchTab(yasgui.getTab(id)); }, 0); });
  yasgui.on("tabSelect", function (_y, id) { setTimeout(function () { watchTab(yasgui.getTab(id)); }, 0); });
  Object.keys(yasgui._tabs || {}).forEach(function (id) { watchTab(yasgui.getTab(id)); });
  watchTab(yasgui.getTab());

  /* --- labels beside IRIs in result tables ----------------------------------------------------------- */
  var labels = {};
  var pendingLabels = null;
  function labelTables() {
    var links = Array.prototype.slice.call(host.querySelectorAll(".yasr table.dataTable tbody a[href^='http']"))
      .filter(function (a) { return !a.parentNode.querySelector(".hg-label"); });
    var wanted = links.map(function (a) { return a.getAttribute("href"); })
      .filter(function (iri, i, all) { return all.indexOf(iri) === i && !(iri in labels) && !/[<>"{}|^`\\\s]/.test(iri); });
    var show = function () {
      links.forEach(function (a) {
        var label = labels[a.getAttribute("href")];
        if (!label || a.parentNode.querySelector(".hg-label")) return;
        var span = document.createElement("span");
        span.className = "hg-label";
        span.textContent = label;
        a.parentNode.insertBefore(span, a.nextSibling);
      });
    };
    if (!wanted.length) { show(); return; }
    wanted.forEach(function (iri) { labels[iri] = labels[iri] || ""; });
    var lang = document.documentElement.lang || "nb";
    var query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" +
      "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" +
      "SELECT ?s (SAMPLE(?l) AS ?label) WHERE { VALUES ?s { " + wanted.slice(0, 300).map(function (i) { return "<" + i + ">"; }).join(" ") +
      " } { ?s skos:prefLabel ?l } UNION { ?s rdfs:label ?l } FILTER(lang(?l) = \"" + lang + "\" || lang(?l) = \"\") } GROUP BY ?s";
    fetch(endpoint, { method: "POST", headers: { Accept: "application/sparql-results+json",
      "Content-Type": "application/x-www-form-urlencoded" }, body: "query=" + encodeURIComponent(query) })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (json) {
        if (!json) return;
        json.results.bindings.forEach(function (b) { if (b.label) labels[b.s.value] = b.label.value; });
        show();
      })
      .catch(function () { /* labels are a help, not a must */ });
  }

  /* --- YASGUI's own words in the page's language ---------------------------------------------------------- */
  var dictionary = words.yasgui || {};
  var skipped = ".CodeMirror-scroll, table.dataTable tbody, .hg-chart-wrap, .hg-label";
  /* Sentences YASGUI and DataTables build around numbers and column names. */
  var patterns = [
    [/^(\d[\d,]*) results? in ([\d.]+) seconds?$/, function (m) {
      return m[1] + " " + (dictionary["results in"] || "results in") + " " + m[2] + " " + (dictionary.seconds || "seconds"); }],
    [/^(.*): Activate to sort$/, function (m) { return m[1] + ": " + (dictionary["Activate to sort"] || "Activate to sort"); }]
  ];
  function rephrase(text) {
    if (dictionary[text]) return dictionary[text];
    for (var i = 0; i < patterns.length; i++) {
      var m = patterns[i][0].exec(text);
      if (m) return patterns[i][1](m);
    }
    return null;
  }
  function translate(root) {
    if (!Object.keys(dictionary).length) return;
    var elements = [root].concat(Array.prototype.slice.call(root.querySelectorAll("*")));
    elements.forEach(function (el) {
      if (!el.getAttribute || (el.closest && el.closest(skipped))) return;
      ["title", "aria-label", "placeholder", "data-original-title"].forEach(function (attr) {
        var value = el.getAttribute(attr), said = value && rephrase(value.trim());
        if (said) el.setAttribute(attr, said);
      });
      Array.prototype.forEach.call(el.childNodes, function (node) {
        if (node.nodeType !== 3) return;
        var text = node.nodeValue.trim();
        var said = text && rephrase(text);
        if (said) node.nodeValue = node.nodeValue.replace(text, said);
        else if (/^Showing \d/.test(text)) {  // DataTables: "Showing 1 to 10 of 50 entries"
          node.nodeValue = text.replace(/Showing|to|of|entries/g, function (w) { return dictionary[w] || w; });
        }
      });
    });
  }
  var scheduled = false;
  new MutationObserver(function () {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(function () {
      scheduled = false;
      translate(host);
      labelTables();
    });
  }).observe(host, { childList: true, subtree: true });
  translate(host);

  /* --- permalinks: query + release + result hash ---------------------------------------------------------- */
  var button = document.getElementById("make-permalink");
  var out = document.getElementById("permalink-out");
  if (button && out) {
    button.textContent = words.permalink || "Permalink";
    button.title = words.permalink_title || "";
    button.hidden = false;
    button.addEventListener("click", function () {
      var query = yasgui.getTab().getQuery();
      fetch("/permalink?" + new URLSearchParams({ query: query }).toString(), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : r.text().then(function (t) { throw new Error(t); }); })
        .then(function (p) {
          out.textContent = "";
          var link = document.createElement("a");
          link.id = "permalink";
          link.href = p.permalink + (document.documentElement.lang === "en" ? "&lang=en" : "");
          link.textContent = new URL(link.href, window.location.href).href.slice(0, 80) + "…";
          link.dataset.release = p.release;
          link.dataset.hash = p.hash;
          var detail = document.createElement("span");
          detail.className = "muted";
          detail.textContent = " " + (words.permalink_made || "").replace("{release}", p.release)
            .replace("{rows}", p.rows).replace("{hash}", p.hash.slice(0, 19) + "…");
          out.appendChild(link);
          out.appendChild(detail);
        })
        .catch(function (error) { out.textContent = String(error.message || error).slice(0, 300); });
    });
  }

  window.helsegrafYasgui = yasgui;
})();
