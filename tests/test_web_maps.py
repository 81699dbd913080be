"""Maps and external links: the map data of state, city, meeting and home pages, the External links block."""
from __future__ import annotations

import json
import re

import pytest

ID = "https://w3id.org/r2pkg/id/"
WIKIDATA_DENMARK = "http://www.wikidata.org/entity/Q35"
MEMBER_STATES = """
PREFIX r2p: <https://w3id.org/r2pkg/ontology#>
PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
SELECT DISTINCT ?s WHERE {
  { ?s r2p:hasFocalPoint ?p } UNION { ?p r2p:focalPointOf ?s } UNION { ?s a r2p:NetworkMember }
  ?s a r2p:State ; geo:lat ?lat .
}"""
MEETING_CITIES = """
PREFIX r2p: <https://w3id.org/r2pkg/ontology#>
SELECT DISTINCT ?c WHERE { ?m r2p:heldInCity ?c }"""


@pytest.fixture(scope="module")
def built_client(built_data_dir):
    """A test client on the bundled corpus's graph, which has the external-links graph (coordinates, links)."""
    from r2pkg.webapp import create_app

    return create_app({"TESTING": True, "DATA_DIR": str(built_data_dir)}).test_client()


def page_html(client, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200, path
    return r.get_data(as_text=True)


def map_data(html: str, map_id: str) -> dict:
    """The JSON map.js draws from: <script id="MAP-data" type="application/json">."""
    m = re.search(rf'<script id="{map_id}-data" type="application/json">(.*?)</script>', html, re.S)
    assert m, f"no data for #{map_id}"
    return json.loads(m.group(1))


def by_iri(data: dict) -> dict[str, dict]:
    return {p["iri"]: p for p in data["points"]}


def links_block(html: str) -> str:
    m = re.search(r'<section class="external-links-block".*?</section>', html, re.S)
    assert m, "no External links block"
    return m.group(0)


def test_state_map_has_the_state_point_and_tints_the_country(built_client):
    html = page_html(built_client, "/page/state/denmark")
    assert 'id="entity-map" class="map-canvas' in html and 'data-map-source="entity-map-data"' in html
    assert "vendor/leaflet/leaflet.js" in html and "static/map.js" in html and "vendor/leaflet/leaflet.css" in html
    data = map_data(html, "entity-map")
    first = data["points"][0]
    assert first["iri"] == ID + "state/denmark" and first["focus"] is True and first["kind"] == "state"
    assert first["url"] == "/page/state/denmark" and first["label"] == "Denmark"
    assert first["lat"] == pytest.approx(55.676, abs=0.01) and first["long"] == pytest.approx(12.566, abs=0.01)
    assert data["highlight"] == ["208"]
    assert data["shapes"] == "/static/geo/countries-110m.geojson"


def test_state_map_shows_the_graph_cities_in_it(built_client):
    data = map_data(page_html(built_client, "/page/state/qatar"), "entity-map")
    points = by_iri(data)
    assert points[ID + "state/qatar"]["focus"] and data["highlight"] == ["634"]
    doha = points[ID + "city/doha"]
    assert doha["kind"] == "city" and not doha["focus"] and doha["url"] == "/page/city/doha"
    assert doha["lat"] == pytest.approx(25.285, abs=0.01) and doha["long"] == pytest.approx(51.531, abs=0.01)


def test_city_map_has_the_city_point_and_tints_its_state(built_client):
    data = map_data(page_html(built_client, "/page/city/madrid"), "entity-map")
    assert [(p["iri"], p["kind"], p["focus"]) for p in data["points"]] == [(ID + "city/madrid", "city", True)]
    madrid = data["points"][0]
    assert madrid["lat"] == pytest.approx(40.4165, abs=0.01) and madrid["long"] == pytest.approx(-3.7026, abs=0.01)
    assert data["highlight"] == ["724"]          # Spain


def test_meeting_map_shows_where_it_was_held(built_client):
    data = map_data(page_html(built_client, "/page/meeting/annual-meeting-9"), "entity-map")
    assert [p["iri"] for p in data["points"]] == [ID + "city/brussels"]


def test_no_map_without_a_place(built_client):
    html = page_html(built_client, "/page/org/european-union")
    assert "map-canvas" not in html and "leaflet.js" not in html


def test_home_map_lists_member_states_and_meeting_cities(built_client, built_data_dir):
    from r2pkg.graph.sparql import run_query

    html = page_html(built_client, "/")
    data = map_data(html, "network-map")
    members = {p["iri"]: p for p in data["points"] if p["kind"] == "member"}
    cities = {p["iri"]: p for p in data["points"] if p["kind"] == "meeting-city"}
    expected_members = {r["s"].value for r in run_query(built_data_dir, MEMBER_STATES).rows}
    expected_cities = {r["c"].value for r in run_query(built_data_dir, MEETING_CITIES).rows}
    assert set(members) == expected_members and len(members) >= 5
    assert set(cities) == expected_cities and ID + "city/madrid" in cities
    assert ID + "state/denmark" in members and ID + "state/costa-rica" in members
    for p in data["points"]:
        assert -90 <= p["lat"] <= 90 and -180 <= p["long"] <= 180 and p["url"].startswith("/page/")
    denmark = members[ID + "state/denmark"]
    assert denmark["lat"] == pytest.approx(55.676, abs=0.01) and denmark["url"] == "/page/state/denmark"
    assert "208" in data["highlight"]
    madrid = cities[ID + "city/madrid"]
    assert [n["url"] for n in madrid["notes"]] == ["/page/meeting/annual-meeting-5"]
    # the same places, as links, for readers without JavaScript
    assert html.count('<li data-iri="') == len(data["points"])


def test_map_data_cannot_close_its_script_element(built_client):
    from r2pkg.webapp.graphdata import MapData, MapPoint
    from r2pkg.webapp.urls import Urls

    text = MapData([MapPoint(ID + "x", "</script><script>alert(1)</script>", 1.0, 2.0, "city")]).to_json(
        Urls(""), lambda iri: "</script>")
    assert "<" not in text and json.loads(text)["points"][0]["label"] == "</script>"


def test_external_links_block_for_a_state(built_client):
    block = links_block(page_html(built_client, "/page/state/denmark"))
    assert "<h2" in block and "External links" in block
    assert f'href="{WIKIDATA_DENMARK}"' in block and ">Q35</a>" in block
    assert 'href="http://dbpedia.org/resource/Denmark"' in block
    assert 'href="https://sws.geonames.org/2623032/"' in block
    for label, value in (("ISO 3166-1 alpha-2", "DK"), ("ISO 3166-1 alpha-3", "DNK"), ("ISO 3166-1 numeric", "208")):
        assert re.search(rf">{label}</dt>\s*<dd[^>]*><span class=\"code\">{value}</span>", block), label
    assert 'href="/page/org/un-western-european-and-others-group"' in block
    assert "Western European and Others Group" in block
    order = [block.index(k) for k in ("Wikidata", "DBpedia", "GeoNames", "ISO 3166-1 alpha-2", "UN regional group")]
    assert order == sorted(order)


@pytest.mark.parametrize("path,wikidata", [
    ("/page/city/madrid", "Q2807"),
    ("/page/org/european-union", "Q458"),
])
def test_external_links_block_for_cities_and_organizations(built_client, path, wikidata):
    block = links_block(page_html(built_client, path))
    assert f'href="http://www.wikidata.org/entity/{wikidata}"' in block


def test_external_links_block_for_a_person(built_client):
    from r2pkg.webapp.graphdata import external_links

    app = built_client.application
    with app.test_request_context("/"):
        data = app.extensions["r2pkg.graph"]
        people = [r["p"].value for r in data.query(
            "SELECT ?p WHERE { ?p a <https://w3id.org/r2pkg/ontology#Person> } LIMIT 1")]
        assert people
        # persons have links only when reviewed (entities.csv): the block shows exactly what the graph holds
        links = external_links(data, people[0])
        html = page_html(built_client, "/page/" + people[0][len(ID):])
        assert ("External links" in html) == bool(links)


def test_fixture_graph_without_coordinates_has_links_but_no_maps(client):
    html = client.get("/page/state/spain").get_data(as_text=True)
    assert 'href="http://www.wikidata.org/entity/Q29"' in links_block(html)
    assert "map-canvas" not in html
    assert "map-canvas" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("path", [
    "/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/leaflet.css", "/static/vendor/leaflet/LICENSE",
    "/static/vendor/leaflet/images/layers.png", "/static/map.js", "/static/map.css", "/static/geo/README.md",
])
def test_map_assets_are_served_locally(client, path):
    assert client.get(path).status_code == 200


def test_country_shapes_are_geojson_keyed_by_iso_numeric(client):
    r = client.get("/static/geo/countries-110m.geojson")
    shapes = json.loads(r.data)
    assert shapes["type"] == "FeatureCollection" and len(shapes["features"]) > 150
    ids = {f.get("id") for f in shapes["features"]}
    assert {"208", "724", "634", "036", "840"} <= ids
    assert "http" not in r.get_data(as_text=True)           # nothing that would make a request


def test_map_script_makes_no_outside_requests():
    from pathlib import Path

    import r2pkg.webapp as webapp

    static = Path(webapp.__file__).parent / "static"
    script = (static / "map.js").read_text()
    assert "tileLayer" not in script and "innerHTML" not in script
    assert not re.findall(r"https?://(?!leafletjs\.com\")", script)
