"""Saved queries: list, page with form and results, downloads, JSON API, OpenAPI."""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET


def test_list_shows_summaries_and_tags(client):
    html = client.get("/queries").get_data(as_text=True)
    assert "Meetings hosted by a state or organization" in html and "/queries/meetings-hosted-by" in html
    assert 'href="/queries?tag=meetings"' in html
    filtered = client.get("/queries?tag=hosts").get_data(as_text=True)
    assert "meetings-hosted-by" in filtered and "Meetings since a year" not in filtered


def test_query_page_runs_with_defaults(client):
    html = client.get("/queries/meetings").get_data(as_text=True)
    assert "Every annual meeting" in html and "SELECT ?meeting" in html
    assert "Fifth annual meeting (Madrid, 2015)" in html and "23 June 2015" in html
    assert 'href="/page/meeting/5th-annual-meeting"' in html
    for fmt in ("csv", "tsv", "json", "xml"):
        assert f'href="/queries/meetings.{fmt}"' in html


def test_parameters_form_autocomplete_and_permalink(client):
    r = client.get("/queries/meetings-hosted-by?host=https://w3id.org/r2pkg/id/state/qatar")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert 'data-suggest="/search/suggest?class=https%3A%2F%2Fw3id.org%2Fr2pkg%2Fontology%23Agent"' in html
    assert "Seventh annual meeting" in html and "Fifth annual meeting" not in html.split('id="results"')[1]
    assert "/queries/meetings-hosted-by?host=https%3A%2F%2Fw3id.org%2Fr2pkg%2Fid%2Fstate%2Fqatar" in html
    assert "24 April 2017" in html and ">40<" in html


def test_iri_parameter_accepts_a_label(client):
    html = client.get("/queries/meetings-hosted-by?host=Chile").get_data(as_text=True)
    assert "Fifth annual meeting" in html.split('id="results"')[1]


def test_bad_parameter_is_a_400_with_the_message(client):
    r = client.get("/queries/meetings-since?year=soon")
    assert r.status_code == 400 and "is not an integer" in r.get_data(as_text=True)
    r = client.get("/queries/meetings-hosted-by?host=Atlantis")
    assert r.status_code == 400 and "no entity is called" in r.get_data(as_text=True)
    r = client.get("/api/queries/meetings-since?year=soon")
    assert r.status_code == 400 and r.get_json()["parameter"] == "year"
    r = client.get("/api/queries/meetings-since?colour=red")
    assert r.status_code == 400 and "not a parameter" in r.get_json()["message"]


def test_integer_parameters(client):
    body = client.get("/api/queries/meetings-since?year=2016").get_json()
    assert [b["meeting"]["value"].rsplit("/", 1)[1] for b in body["results"]["bindings"]] == ["7th-annual-meeting"]
    body = client.get("/api/queries/meetings-since?year=2010&minimum=45").get_json()
    assert len(body["results"]["bindings"]) == 1


def test_downloads(client):
    r = client.get("/queries/meetings.csv")
    assert r.mimetype == "text/csv" and "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert rows[0][:2] == ["meeting", "ordinal"] and len(rows) == 3
    assert client.get("/queries/meetings.tsv").mimetype == "text/tab-separated-values"
    assert client.get("/queries/meetings.json").get_json()["head"]["vars"][0] == "meeting"
    ET.fromstring(client.get("/queries/meetings.xml").data)
    assert client.get("/queries/meetings.pdf").status_code == 404
    assert client.get("/queries/meetings-hosted-by.csv?host=Chile").status_code == 200


def test_api_answers_sparql_json(client):
    r = client.get("/api/queries/meetings-hosted-by?host=id:state/spain")
    assert r.status_code == 200 and r.mimetype == "application/sparql-results+json"
    assert r.headers["Access-Control-Allow-Origin"] == "*" and r.headers["X-R2PKG-Truncated"] == "false"
    assert len(r.get_json()["results"]["bindings"]) == 1


def test_unknown_query_is_a_helpful_404(client):
    r = client.get("/queries/meetngs")
    assert r.status_code == 404 and "Known queries" in r.get_data(as_text=True)
    r = client.get("/api/queries/nope")
    assert r.status_code == 404 and r.get_json()["status"] == 404


def test_openapi_describes_every_query(client):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    op = doc["paths"]["/api/queries/meetings-hosted-by"]["get"]
    host = next(p for p in op["parameters"] if p["name"] == "host")
    assert host["in"] == "query" and host["schema"]["format"] == "iri"
    year = next(p for p in doc["paths"]["/api/queries/meetings-since"]["get"]["parameters"] if p["name"] == "year")
    assert year["schema"] == {"type": "integer", "default": 2010}
    assert set(doc["paths"]) == {"/api/queries/meetings", "/api/queries/meetings-hosted-by", "/api/queries/meetings-since"}


def test_query_timeout_is_reported(make_app_client, tmp_path):
    slow = tmp_path / "slow.rq"
    slow.write_text("#+ summary: slow\nSELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }\n")
    client = make_app_client(QUERIES_DIR=str(tmp_path), SPARQL_TIMEOUT=0.3)
    r = client.get("/api/queries/slow")
    assert r.status_code == 503 and "time limit" in r.get_json()["message"]
    html = client.get("/queries/slow").get_data(as_text=True)
    assert "time limit" in html


def test_the_header_search_box_is_empty_on_a_query_page(client):
    """The page's saved query must not leak into the search box that every page carries."""
    html = client.get("/queries").get_data(as_text=True)
    name = re.findall(r'href="/queries/([a-z0-9-]+)"', html)[0]
    page = client.get(f"/queries/{name}").get_data(as_text=True)
    assert "SavedQuery(" not in page


def test_focal_points_answer_a_page_and_the_total_over_the_api(make_app_client):
    from r2pkg.graph.resources import QUERIES_DIR

    client = make_app_client(QUERIES_DIR=str(QUERIES_DIR))
    everything = client.get("/api/queries/focal-points").get_json()
    assert everything["head"]["vars"][-1] == "total"
    rows = everything["results"]["bindings"]
    total = int(rows[0]["total"]["value"])
    assert total == len(rows) >= 2
    page = client.get("/api/queries/focal-points?limit=1&offset=1").get_json()["results"]["bindings"]
    assert page == rows[1:2]
    assert client.get("/api/queries/focal-points?limit=-5").status_code == 400
    assert "total" in client.get("/queries/focal-points?limit=1").get_data(as_text=True)
    described = client.get("/api/openapi.json").get_json()["paths"]["/api/queries/focal-points"]["get"]["parameters"]
    assert {p["name"]: p["schema"] for p in described if p["name"] in ("limit", "offset")} == {
        "limit": {"type": "integer", "default": 100, "minimum": 0},
        "offset": {"type": "integer", "default": 0, "minimum": 0}}
