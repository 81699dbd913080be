/* Maps drawn with the vendored Leaflet over the country shapes shipped in static/geo/ (Natural Earth via
   world-atlas): there is no tile layer, so no request leaves this site. Each .map-canvas names its data, a
   <script type="application/json"> written by the server (graphdata.MapData.to_json), in data-map-source:
   {shapes: URL of a GeoJSON of countries, highlight: [ISO 3166-1 numeric], points: [{iri, label, url, lat, long,
   kind, focus, notes: [{label, url}]}]}. When drawn, the canvas gets data-ready="true". */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  var POINT_STYLE = {
    focus: { radius: 9, color: "#fff", weight: 2, fillColor: "#c0392b", fillOpacity: 1 },
    member: { radius: 6, color: "#fff", weight: 1.5, fillColor: "#2e86c1", fillOpacity: 0.95 },
    "meeting-city": { radius: 11, color: "#d68910", weight: 3, fillColor: "#f5cba7", fillOpacity: 0.25 },
    city: { radius: 6, color: "#fff", weight: 1.5, fillColor: "#5d6d7e", fillOpacity: 0.95 },
    state: { radius: 7, color: "#fff", weight: 1.5, fillColor: "#2e86c1", fillOpacity: 0.95 },
    place: { radius: 7, color: "#fff", weight: 1.5, fillColor: "#2e86c1", fillOpacity: 0.95 }
  };
  var KIND_TEXT = { member: "member state", "meeting-city": "meeting city", city: "city", state: "state", place: "place" };
  var LAND = { color: "#a6acaf", weight: 0.6, fillColor: "#f7f4ec", fillOpacity: 1 };
  var HIGHLIGHT = { color: "#2874a6", weight: 0.8, fillColor: "#aed6f1", fillOpacity: 1 };

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text) { el.textContent = text; }
    return el;
  }

  function link(target) {
    var a = element("a", null, target.label);
    a.href = target.url;
    return a;
  }

  // Popups and tooltips are built from DOM nodes (never from HTML strings), so labels cannot inject markup.
  function popup(point) {
    var box = element("div", "map-popup");
    box.appendChild(link(point));
    box.appendChild(element("div", "kind", KIND_TEXT[point.kind] || point.kind));
    if (point.notes && point.notes.length) {
      var list = element("ul");
      point.notes.forEach(function (n) {
        var li = element("li");
        li.appendChild(link(n));
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    return box;
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-map-source"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var map = L.map(el, { zoomSnap: 0.25, minZoom: 1, maxZoom: 8, worldCopyJump: false, scrollWheelZoom: false,
                          maxBounds: [[-89, -240], [89, 240]], maxBoundsViscosity: 0.7 });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com" rel="noopener noreferrer">Leaflet</a>');
    map.attributionControl.addAttribution("Countries: Natural Earth");
    map.createPane("shapes");   // .leaflet-shapes-pane: under the points (map.css)

    var highlight = {};
    (data.highlight || []).forEach(function (code) { highlight[code] = true; });
    var points = (data.points || []).slice();
    // Meeting-city rings first, so the member dots at the same place stay clickable on top of them.
    points.sort(function (a, b) { return (a.kind === "meeting-city" ? 0 : 1) - (b.kind === "meeting-city" ? 0 : 1) ||
                                         (a.focus ? 1 : 0) - (b.focus ? 1 : 0); });
    // The view first: Leaflet creates a marker's SVG element only on a map that has one.
    var bounds = L.latLngBounds(points.map(function (p) { return [p.lat, p.long]; }));
    if (points.length > 1) {
      map.fitBounds(bounds.pad(0.25), { maxZoom: 4 });
    } else if (points.length === 1) {
      map.setView([points[0].lat, points[0].long], 3);
    } else {
      map.setView([20, 10], 1);
    }
    points.forEach(function (p) {
      var style = L.extend({}, POINT_STYLE[p.focus ? "focus" : p.kind] || POINT_STYLE.place);
      style.className = "map-point map-point-" + (p.focus ? "focus" : p.kind);
      var marker = L.circleMarker([p.lat, p.long], style).addTo(map);
      // A string would be set as HTML by Leaflet: the label goes in as a text node.
      marker.bindTooltip(element("span", null, p.label), { direction: "top", offset: [0, -6], permanent: !!p.focus });
      marker.bindPopup(popup(p));
      var path = marker.getElement();
      // a named graphic: an aria-label needs a role on an SVG path
      if (path) { path.setAttribute("data-iri", p.iri); path.setAttribute("role", "img"); path.setAttribute("aria-label", p.label); }
    });

    function ready(state) {
      el.setAttribute("data-shapes", state);
      el.setAttribute("data-ready", "true");
    }
    if (!data.shapes || typeof fetch === "undefined") { ready("none"); return; }
    fetch(data.shapes, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (geojson) {
        L.geoJSON(geojson, {
          pane: "shapes",
          interactive: false,
          style: function (f) { return highlight[String(f.id)] ? HIGHLIGHT : LAND; }
        }).addTo(map);
        ready("drawn");
      })
      .catch(function () { ready("failed"); });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".map-canvas[data-map-source]"), draw);
})();
