/* The YASGUI editor on /sparql: our endpoint (an absolute URL: YASGUI parses it with `new URL`),
   our prefixes (predeclared by the endpoint), completion of classes and properties from our own
   vocabulary (never an outside service), the query kept across reloads and in the address bar,
   the endpoint's errors, time-outs and truncation shown, and YASGUI's markup made usable by
   keyboard and screen reader (names, tab list, scroll boxes) without editing the vendored files. */
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
    // The shared query in ?query= is ours to open and run (below): YASGUI reading it too ran it twice,
    // and the first run, cut short, showed "signal is aborted".
    populateFromUrl: false,
    yasqe: {
      autocompleters: completers.slice(),
      value: config.defaultQuery,
      // CodeMirror's editable text itself (not a hidden text area) is what a screen reader reads and
      // what takes focus inside the editor's scroll box.
      inputStyle: "contenteditable",
      showQueryButton: true,
      resizeable: true,
      editorHeight: "300px"
    },
    yasr: { prefixes: config.prefixes }
  });
  window.r2pkgYasgui = yasgui;
  yasgui.getTab().getYasqe().setValue(initial);

  // The address bar is the shareable link of the query in the tab shown; a reload shows it again.
  var pending = null;
  function remember() {
    var text = yasgui.getTab().getYasqe().getValue();
    store(text);
    var url = new URL(window.location.href);
    url.searchParams.set("query", text);
    window.history.replaceState(null, "", url.pathname + url.search);
  }

  // What the endpoint said beyond the rows: a cut answer, an error, a time-out (for the tab shown).
  var notice = document.getElementById("sparql-notice");
  function say(text, kind) {
    notice.textContent = text;
    notice.className = "notice " + (kind || "");
    notice.hidden = !text;
  }
  function shown(yasqe) { return yasgui.getTab() && yasgui.getTab().getYasqe() === yasqe; }
  function explain(yasqe, response) {
    if (!shown(yasqe)) { return; }
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
  }
  // Each tab has its own editor, made when the tab is first shown: watch each one once.
  var watched = [];
  function watch(yasqe) {
    if (!yasqe || watched.indexOf(yasqe) >= 0) { return; }
    watched.push(yasqe);
    yasqe.on("change", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(remember, 300);
    });
    yasqe.on("query", function () { if (shown(yasqe)) { say(""); } });
    yasqe.on("queryResponse", explain);
  }
  function onTabShown() {
    watch(yasgui.getTab().getYasqe());
    say("");
    remember();
    accessible();
  }
  watch(yasgui.getTab().getYasqe());
  yasgui.on("tabSelect", function () { window.setTimeout(onTabShown, 0); });
  yasgui.on("tabAdd", function () { window.setTimeout(onTabShown, 0); });

  // YASGUI's markup, completed after it renders (it redraws the results and the tab list).
  var root = document.getElementById("yasgui");
  var NAMES = [
    [".yasqe .CodeMirror-code[contenteditable], .yasqe textarea", "SPARQL query"],
    ["input.autocomplete", "Endpoint URL"],
    ["select.tableSizer", "Rows per page"],
    [".tabsList .tab input", "Tab name"],
    [".yasqe_sharePopup input", "Link to this query"],
    [".yasr textarea", "Response of the endpoint"]
  ];
  // A control YASGUI leaves without a name gets ours, or the text of the label beside it.
  function nameControls() {
    NAMES.forEach(function (pair) {
      root.querySelectorAll(pair[0]).forEach(function (el) {
        if (!el.hasAttribute("aria-label")) { el.setAttribute("aria-label", pair[1]); }
      });
    });
    root.querySelectorAll("input:not([aria-label]), select:not([aria-label])").forEach(function (el) {
      if (el.closest("label")) { return; }
      var box = el.closest(".selector, .requestConfigWrapper");
      var label = box && box.querySelector("label");
      if (label) { el.setAttribute("aria-label", label.textContent.trim()); }
    });
    var editable = root.querySelectorAll(".yasqe .CodeMirror-code[contenteditable]");
    editable.forEach(function (el) {
      el.setAttribute("role", "textbox");
      el.setAttribute("aria-multiline", "true");
      if (!el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "0"); }
    });
  }
  // A tab list holds tabs only: YASGUI puts its "add a tab" button inside it. The button moves
  // just after the list (YASGUI then appends new tabs at the list's end: it inserts them before
  // `addTabEl`, which is cleared).
  function tidyTabList() {
    var list = root.querySelector(".tabsList");
    var add = list && list.querySelector(".addTab");
    if (!add || add.closest(".tabsList") !== list) { return; }
    var bar = list.parentNode.classList.contains("tabBar") ? list.parentNode : document.createElement("div");
    if (!bar.parentNode) {
      bar.className = "tabBar";
      list.parentNode.insertBefore(bar, list);
      bar.appendChild(list);
    }
    bar.appendChild(add.parentNode);
    if (yasgui.tabElements) { yasgui.tabElements.addTabEl = null; }
  }
  // Wide results and long error messages scroll inside their own box, which the keyboard can reach.
  var SCROLL_BOXES = [[".yasr .dt-layout-table", "Query results"], [".yasr .errorResult pre", "Error message"]];
  function scrollBoxes() {
    SCROLL_BOXES.forEach(function (pair) {
      root.querySelectorAll(pair[0]).forEach(function (box) {
        if (box.hasAttribute("tabindex")) { return; }
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", pair[1]);
      });
    });
  }
  function accessible() {
    nameControls();
    tidyTabList();
    scrollBoxes();
  }
  accessible();

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
  new MutationObserver(function () {
    root.querySelectorAll(".yasr a[href]").forEach(localise);
    accessible();
  }).observe(root, { childList: true, subtree: true });
  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      var example = config.examples[Number(button.dataset.example)];
      var yasqe = yasgui.getTab().getYasqe();
      yasqe.setValue(example.query);
      yasqe.query();
    });
  });
  if (config.sharedQuery) { yasgui.getTab().getYasqe().query(); }
})();
