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
  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      var example = config.examples[Number(button.dataset.example)];
      var current = yasgui.getTab().getYasqe();
      current.setValue(example.query);
      current.query();
    });
  });
})();
