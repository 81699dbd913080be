/* The YASGUI editor on /sparql: our endpoint, our prefixes, no outside services. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("sparql-config").textContent);
  if (typeof Yasgui === "undefined") { return; }
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    persistenceId: null,
    yasqe: {
      autocompleters: ["variables", "prefixes"],
      value: config.defaultQuery,
      showQueryButton: true,
      resizeable: true,
      editorHeight: "300px"
    },
    yasr: { prefixes: config.prefixes }
  });
  var tab = yasgui.getTab();
  var yasqe = tab.getYasqe();
  if (yasqe) { yasqe.setValue(config.defaultQuery); }
  window.r2pkgYasgui = yasgui;
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
      var current = yasgui.getTab().getYasqe();
      current.setValue(example.query);
      current.query();
    });
  });
})();
