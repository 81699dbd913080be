"""/sparql: SPARQL 1.1 Protocol (GET, POST form, POST sparql-query), content negotiation, limits, refusals, CORS."""
from __future__ import annotations

import csv
import io
import json
import time
import xml.etree.ElementTree as ET

import pytest
import rdflib

Q = "PREFIX r2p: <https://w3id.org/r2pkg/ontology#> SELECT ?m ?o WHERE { ?m r2p:ordinal ?o } ORDER BY ?o"
C = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/r2pkg/graph/inferred> { ?s ?p ?o } }"


def test_browser_gets_the_editor(client):
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'id="yasgui"' in html and "vendor/yasgui/yasgui.min.js" in html
    config = json.loads(html.split('id="sparql-config" type="application/json">')[1].split("</script>")[0])
    # absolute: YASGUI reads it with `new URL`, which throws on a bare path and then hides every error
    assert config["endpoint"] == "http://localhost/sparql" and config["prefixes"]["r2p"] == "https://w3id.org/r2pkg/ontology#"
    assert "PREFIX r2p:" in config["defaultQuery"]
    assert [e["name"] for e in config["examples"]] == ["meetings"]   # those without parameters


def test_program_without_query_gets_400(client):
    r = client.get("/sparql", headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 400 and "no query" in r.get_data(as_text=True)


@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_protocol_operations(client, how):
    accept = {"Accept": "application/sparql-results+json"}
    if how == "get":
        r = client.get("/sparql", query_string={"query": Q}, headers=accept)
    elif how == "form":
        r = client.post("/sparql", data={"query": Q}, headers=accept)
    else:
        r = client.post("/sparql", data=Q, content_type="application/sparql-query", headers=accept)
    assert r.status_code == 200 and r.mimetype == "application/sparql-results+json"
    body = r.get_json()
    assert body["head"]["vars"] == ["m", "o"] and [b["o"]["value"] for b in body["results"]["bindings"]] == ["5", "7"]
    assert r.headers["Access-Control-Allow-Origin"] == "*" and r.headers["X-R2PKG-Truncated"] == "false"
    assert "Accept" in r.headers["Vary"]


@pytest.mark.parametrize("accept,check", [
    ("application/sparql-results+xml", lambda d: ET.fromstring(d)),
    ("application/xml", lambda d: ET.fromstring(d)),
    ("text/csv", lambda d: list(csv.reader(io.StringIO(d.decode())))[0] == ["m", "o"] or 1 / 0),
    ("text/tab-separated-values", lambda d: d.decode().startswith("?m\t?o") or 1 / 0),
    ("application/json", lambda d: json.loads(d)["results"]),
    ("*/*", lambda d: json.loads(d)["results"]),
])
def test_select_formats(client, accept, check):
    r = client.get("/sparql", query_string={"query": Q}, headers={"Accept": accept})
    assert r.status_code == 200
    check(r.data)


def test_ask(client):
    r = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"})
    assert r.get_json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                        ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_construct_formats(client, accept, fmt):
    r = client.get("/sparql", query_string={"query": C}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    assert len(rdflib.Graph().parse(data=r.data, format=fmt)) > 10


def test_describe(client):
    r = client.get("/sparql", query_string={"query": "DESCRIBE <https://w3id.org/r2pkg/id/state/spain>"},
                   headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "Spain" in r.get_data(as_text=True)


def test_not_acceptable(client):
    r = client.get("/sparql", query_string={"query": C}, headers={"Accept": "text/csv"})
    assert r.status_code == 406


def test_dataset_parameters(client):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    whole = int(client.get("/sparql", query_string={"query": q}).get_json()["results"]["bindings"][0]["n"]["value"])
    inferred = client.get("/sparql", query_string={"query": q, "default-graph-uri": "https://w3id.org/r2pkg/graph/inferred"})
    n = int(inferred.get_json()["results"]["bindings"][0]["n"]["value"])
    assert 0 < n < whole
    r = client.post("/sparql", data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                     "named-graph-uri": ["https://w3id.org/r2pkg/graph/corpus",
                                                         "https://w3id.org/r2pkg/graph/inferred"]})
    assert sorted(b["g"]["value"] for b in r.get_json()["results"]["bindings"]) == [
        "https://w3id.org/r2pkg/graph/corpus", "https://w3id.org/r2pkg/graph/inferred"]


def test_malformed_query_is_400_with_the_parser_message(client):
    r = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p }"})
    text = r.get_data(as_text=True)
    assert r.status_code == 400 and "Malformed query" in text and "Traceback" not in text


@pytest.mark.parametrize("request_kwargs", [
    {"data": {"update": "INSERT DATA { <http://a> <http://b> <http://c> }"}},
    {"data": "DELETE WHERE { ?s ?p ?o }", "content_type": "application/sparql-update"},
    {"data": {"query": "DROP ALL"}},
    {"data": "CLEAR DEFAULT", "content_type": "application/sparql-query"},
])
def test_updates_are_refused(client, request_kwargs):
    r = client.post("/sparql", **request_kwargs)
    assert r.status_code == 403 and "read-only" in r.get_data(as_text=True)
    count = client.get("/sparql", query_string={"query": "ASK { <http://a> <http://b> <http://c> }"}).get_json()
    assert count["boolean"] is False


def test_service_is_refused(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert r.status_code == 403 and "SERVICE" in r.get_data(as_text=True)


def test_row_cap_flags_truncation(make_app_client):
    client = make_app_client(SPARQL_MAX_ROWS=5)
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 200 and len(r.get_json()["results"]["bindings"]) == 5
    assert r.headers["X-R2PKG-Truncated"] == "true" and r.headers["X-R2PKG-Row-Limit"] == "5"


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_timeout_stops_a_long_query_and_keeps_serving(make_app_client):
    client = make_app_client(SPARQL_TIMEOUT=0.5)
    started = time.monotonic()
    r = client.get("/sparql", query_string={"query": SLOW})
    assert r.status_code == 503 and "time limit" in r.get_data(as_text=True)
    assert r.headers["X-R2PKG-Timeout"] == "true" and time.monotonic() - started < 3
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


def test_a_request_may_lower_the_time_limit_but_not_raise_it(make_app_client):
    client = make_app_client(SPARQL_TIMEOUT=0.5)
    started = time.monotonic()
    assert client.get("/sparql", query_string={"query": SLOW, "timeout": "0.2"}).status_code == 503
    assert time.monotonic() - started < 0.5 + 1.5
    started = time.monotonic()
    assert client.get("/sparql", query_string={"query": SLOW, "timeout": "60"}).status_code == 503
    assert time.monotonic() - started < 3
    assert client.get("/sparql", query_string={"query": "ASK {}", "timeout": "x"}).status_code == 400


def test_cors_preflight(client):
    r = client.options("/sparql", headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST"})
    assert r.status_code == 204 and r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]


def test_bad_post_content_type(client):
    r = client.post("/sparql", data="{}", content_type="application/json")
    assert r.status_code == 400
