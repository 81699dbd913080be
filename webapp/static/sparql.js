/* The YASGUI editor on /sparql: our endpoint (an absolute URL: YASGUI parses it with `new URL`),
   our prefixes (predeclared by the endpoint), completion of classes and properties from our own
   vocabulary (never an outside service), the query kept across reloads and in the address bar,
   and the endpoint's errors, time-outs and truncation shown. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("sparql-config").textContent);
  if (typeof Yasgui === "undefined") { return; }
  var STORAGE_KEY = "r2pkg.sparql.query";
  var Yasqe = Yasgui.Yasqe;

  // Classes and properties come from /sparql/vocabulary.json (our ontology and graph), fetched once.
  var vocabulary = null;
  function terms(kind) {
    if (!vocabulary) {
      vocabulary = fetch(config.vocabulary).then(function (r) { return r.ok ? r.json() : {}; })
        .catch(function () { return {}; });
    }
    return vocabulary.then(function (v) { return withPrefixedNames(v[kind] || []); });
  }
  // The prefixes are predeclared by the endpoint, not written in the query, so YASQE cannot expand
  // `r2p:Sta` itself: offer each term under its prefixed name as well as its full IRI.
  function withPrefixedNames(iris) {
    var out = iris.slice();
    iris.forEach(function (iri) {
      Object.keys(config.prefixes).forEach(function (prefix) {
        var ns = config.prefixes[prefix];
        var local = iri.slice(ns.length);
        if (iri.indexOf(ns) === 0 && /^[A-Za-z_][\w-]*$/.test(local)) { out.push(prefix + ":" + local); }
      });
    });
    return out;
  }
  Yasqe.forkAutocompleter("class", { name: "r2pkgClass", bulk: true, persistenceId: null,
    get: function () { return terms("classes"); } }, false);
  Yasqe.forkAutocompleter("property", { name: "r2pkgProperty", bulk: true, persistenceId: null,
    get: function () { return terms("properties"); } }, false);
  // Only these: the defaults "class" and "property" ask an outside vocabulary service.
  var completers = ["prefixes", "variables", "r2pkgClass", "r2pkgProperty"];
  Yasqe.defaults.autocompleters = completers.slice();
  Yasgui.defaults.yasqe.autocompleters = completers.slice();

  function stored() {
    try { return window.localStorage.getItem(STORAGE_KEY); } catch (e) { return null; }
  }
  function store(text) {
    try { window.localStorage.setItem(STORAGE_KEY, text); } catch (e) { /* private mode: the URL keeps it */ }
  }
  var initial = config.sharedQuery || stored() || config.defaultQuery;

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    persistenceId: null,
    yasqe: {
      autocompleters: completers.slice(),
      value: initial,
      showQueryButton: true,
      resizeable: true,
      editorHeight: "300px"
    },
    yasr: { prefixes: config.prefixes }
  });
  window.r2pkgYasgui = yasgui;
  var yasqe = yasgui.getTab().getYasqe();
  yasqe.setValue(initial);

  // The address bar is the shareable link of the query being edited; a reload shows it again.
  var pending = null;
  function remember() {
    var text = yasqe.getValue();
    store(text);
    var url = new URL(window.location.href);
    url.searchParams.set("query", text);
    window.history.replaceState(null, "", url.pathname + url.search);
  }
  yasqe.on("change", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(remember, 300);
  });

  // What the endpoint said beyond the rows: a cut answer, an error, a time-out.
  var notice = document.getElementById("sparql-notice");
  function say(text, kind) {
    notice.textContent = text;
    notice.className = "notice " + (kind || "");
    notice.hidden = !text;
  }
  yasqe.on("query", function () { say(""); });
  yasqe.on("queryResponse", function (_yasqe, response) {
    if (response instanceof Error) {
      var timedOut = /time limit/i.test(response.message);
      say((timedOut ? "Timed out: " : "Error: ") + response.message, "error");
      return;
    }
    var headers = response && response.headers;
    if (headers && headers.get && headers.get("X-R2PKG-Truncated") === "true") {
      say("Truncated: the answer was cut at " + Number(config.maxRows).toLocaleString("en") +
          " rows (or the size limit); add LIMIT/OFFSET or narrow the query to see the rest.", "warning");
    }
  });

  // Result cells link IRIs to themselves; our entity IRIs should open this app's pages instead.
  var localIris = config.localIris || {};
  function localise(anchor) {
    Object.keys(localIris).forEach(function (base) {
      if (anchor.href.indexOf(base) === 0) {
        anchor.href = localIris[base] + anchor.href.slice(base.length);
        anchor.removeAttribute("target");
      }
    });
  }
  var results = document.getElementById("yasgui");
  new MutationObserver(function () {
    results.querySelectorAll(".yasr a[href]").forEach(localise);
  }).observe(results, { childList: true, subtree: true });
  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      var example = config.examples[Number(button.dataset.example)];
      yasqe.setValue(example.query);
      yasqe.query();
    });
  });
  if (config.sharedQuery) { yasqe.query(); }
})();
