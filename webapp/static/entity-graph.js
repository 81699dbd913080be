/* The entity page's neighbourhood graph, drawn with the vendored vis-network. */
(function () {
  "use strict";
  var el = document.getElementById("neighbourhood-graph");
  var dataEl = document.getElementById("graph-data");
  if (!el || !dataEl || typeof vis === "undefined") { return; }
  var data = JSON.parse(dataEl.textContent);
  var palette = { self: "#c0392b", state: "#2e86c1", org: "#16a085", person: "#8e44ad", meeting: "#d68910",
                  city: "#5d6d7e", document: "#7f8c8d" };
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return { id: n.id, label: n.label.length > 32 ? n.label.slice(0, 30) + "…" : n.label, title: n.label, url: n.url,
             color: palette[n.group] || "#95a5a6", font: { color: "#1b2631" }, shape: "dot", size: n.group === "self" ? 18 : 11 };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {
    return { id: i, from: e.from, to: e.to, label: e.label, dashes: !!e.dashes, arrows: "to",
             font: { size: 9, color: "#566573", strokeWidth: 0 }, color: { color: e.dashes ? "#b3b6b7" : "#7b7d7d" } };
  }));
  var network = new vis.Network(el, { nodes: nodes, edges: edges }, {
    physics: { stabilization: { iterations: 150 }, barnesHut: { springLength: 140 } },
    interaction: { hover: true }
  });
  network.on("click", function (params) {
    if (params.nodes.length) {
      var node = nodes.get(params.nodes[0]);
      if (node && node.url && node.id !== data.nodes[0].id) { window.location.href = node.url; }
    }
  });
  el.dataset.ready = "true";
})();
