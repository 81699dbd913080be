"""The W3C SPARQL 1.1 Protocol test suite's query tests, as requests to /sparql.

Each test sends what the suite's test of the same name sends (sparql11-test-suite/protocol,
`pp:` entries for query operations): the query by GET, by URL-encoded POST and by direct POST; the
dataset given by `default-graph-uri` / `named-graph-uri` (overriding any FROM in the query); content
negotiation for SELECT, ASK, CONSTRUCT and DESCRIBE; and the requests a conforming service refuses
with 400. The suite's data files (data1.rdf ... data3.rdf, fetched by the service over the web) are
here three graphs of the store with the same shape: each graph describes itself as a document.
Written from the suite's description; nothing is downloaded.
"""
from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
import rdflib

EX = "http://example.org/protocol/"
DATA = [f"{EX}data{n}.rdf" for n in (1, 2, 3)]
RESULT_TYPES = {"application/sparql-results+xml", "application/sparql-results+json", "text/csv",
                "text/tab-separated-values"}
RDF_TYPES = {"application/rdf+xml", "text/turtle", "application/n-triples", "application/ld+json"}
FORM = "application/x-www-form-urlencoded"


def _graph(iri: str, n: int) -> str:
    return (f"<{iri}> {{ <{iri}> a <http://xmlns.com/foaf/0.1/Document> ; "
            f"<http://purl.org/dc/terms/title> \"Data set {n}\" . <{EX}thing{n}> <{EX}in> <{iri}> . }}\n")


@pytest.fixture(scope="module")
def w3c(tmp_path_factory, make_fixture_build, web_queries_dir):
    """A client of an app whose store also holds the three data graphs of the suite's dataset tests."""
    from r2pkg.webapp import create_app

    root = make_fixture_build(tmp_path_factory.mktemp("w3c"), "".join(_graph(g, n) for n, g in enumerate(DATA, 1)))
    app = create_app({"TESTING": True, "DATA_DIR": str(root), "QUERIES_DIR": str(web_queries_dir),
                      "SPARQL_CLIENT_QUERY_TIME": 3600.0})
    return app.test_client()


def _boolean(response) -> bool:
    assert response.status_code == 200, response.get_data(as_text=True)
    if response.mimetype == "application/sparql-results+json":
        return response.get_json()["boolean"]
    root = ET.fromstring(response.data)
    return root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"


def _rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(response.data)["results"]["bindings"]]


JSON = {"Accept": "application/sparql-results+json"}


# ---- query operations ------------------------------------------------------------------------

def test_query_get(w3c):
    assert _boolean(w3c.get("/sparql", query_string={"query": "ASK {}"}, headers=JSON)) is True


def test_query_post_form(w3c):
    assert _boolean(w3c.post("/sparql", data="query=ASK%20%7B%7D", content_type=FORM, headers=JSON)) is True


def test_query_post_direct(w3c):
    assert _boolean(w3c.post("/sparql", data="ASK {}", content_type="application/sparql-query", headers=JSON)) is True


# ---- the dataset: default-graph-uri and named-graph-uri --------------------------------------

def test_query_dataset_default_graph(w3c):
    asked = {"query": f"ASK {{ <{DATA[0]}> ?p ?o }}", "default-graph-uri": DATA[0]}
    assert _boolean(w3c.get("/sparql", query_string=asked, headers=JSON)) is True
    # and only that graph is the default graph
    other = {"query": f"ASK {{ <{DATA[1]}> ?p ?o }}", "default-graph-uri": DATA[0]}
    assert _boolean(w3c.get("/sparql", query_string=other, headers=JSON)) is False


def test_query_dataset_default_graphs_get(w3c):
    asked = [("query", f"ASK {{ <{DATA[0]}> a ?type . <{DATA[1]}> a ?type }}"),
             ("default-graph-uri", DATA[0]), ("default-graph-uri", DATA[1])]
    assert _boolean(w3c.get("/sparql", query_string=asked, headers=JSON)) is True


def test_query_dataset_default_graphs_post(w3c):
    asked = [("query", f"ASK {{ <{DATA[0]}> a ?type . <{DATA[1]}> a ?type }}"),
             ("default-graph-uri", DATA[0]), ("default-graph-uri", DATA[1])]
    assert _boolean(w3c.post("/sparql", data=urlencode(asked), content_type=FORM, headers=JSON)) is True


@pytest.mark.parametrize("method", ["get", "post"])
def test_query_dataset_named_graphs(w3c, method):
    asked = [("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"),
             ("named-graph-uri", DATA[0]), ("named-graph-uri", DATA[1])]
    response = (w3c.get("/sparql", query_string=asked, headers=JSON) if method == "get"
                else w3c.post("/sparql", data=urlencode(asked), content_type=FORM, headers=JSON))
    assert [row["g"] for row in _rows(response)] == DATA[:2]


def test_query_dataset_full(w3c):
    asked = [("query", "SELECT ?g ?x ?s WHERE { ?x ?y ?o GRAPH ?g { ?s ?p ?o } }"),
             ("default-graph-uri", DATA[2]), ("named-graph-uri", DATA[0]), ("named-graph-uri", DATA[1])]
    rows = _rows(w3c.get("/sparql", query_string=asked, headers=JSON))
    assert rows and {row["g"] for row in rows} <= set(DATA[:2])
    assert {row["x"] for row in rows} <= {DATA[2], f"{EX}thing3"}


def test_query_multiple_dataset(w3c):
    """The protocol's dataset overrides the query's FROM."""
    asked = {"query": f"ASK FROM <{DATA[1]}> {{ <{DATA[0]}> ?p ?o }}", "default-graph-uri": DATA[0]}
    assert _boolean(w3c.get("/sparql", query_string=asked, headers=JSON)) is True


# ---- content negotiation ---------------------------------------------------------------------

ACCEPT_RESULTS = "application/sparql-results+xml, application/sparql-results+json, text/tab-separated-values, text/csv"
ACCEPT_RDF = "application/rdf+xml, text/turtle"


def test_query_content_type_select(w3c):
    response = w3c.get("/sparql", query_string={"query": "SELECT (1 AS ?value) {}"}, headers={"Accept": ACCEPT_RESULTS})
    assert response.status_code == 200 and response.mimetype in RESULT_TYPES


def test_query_content_type_ask(w3c):
    response = w3c.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": ACCEPT_RESULTS})
    assert response.status_code == 200 and response.mimetype in RESULT_TYPES


def test_query_content_type_describe(w3c):
    response = w3c.get("/sparql", query_string={"query": f"DESCRIBE <{EX}>"}, headers={"Accept": ACCEPT_RDF})
    assert response.status_code == 200 and response.mimetype in RDF_TYPES


def test_query_content_type_construct(w3c):
    """Relative IRIs in the query are resolved against the endpoint's own URL (its base IRI)."""
    response = w3c.get("/sparql", query_string={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                       headers={"Accept": ACCEPT_RDF})
    assert response.status_code == 200 and response.mimetype in RDF_TYPES, response.get_data(as_text=True)
    fmt = "xml" if response.mimetype == "application/rdf+xml" else "turtle"
    graph = rdflib.Graph().parse(data=response.data, format=fmt)
    assert set(graph) == {(rdflib.URIRef("http://localhost/s"), rdflib.URIRef("http://localhost/p"), rdflib.Literal(1))}


def test_a_query_own_base_wins(w3c):
    query = "BASE <http://example.org/b/> CONSTRUCT { <s> <p> 1 } WHERE {}"
    response = w3c.get("/sparql", query_string={"query": query}, headers={"Accept": "application/n-triples"})
    assert response.get_data(as_text=True).startswith("<http://example.org/b/s> <http://example.org/b/p>")


# ---- requests a conforming service refuses -------------------------------------------------

def _refused(response, status: int = 400) -> None:
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))


def test_bad_query_method(w3c):
    assert 400 <= w3c.put("/sparql", data="ASK {}", content_type="application/sparql-query").status_code < 500


def test_bad_multiple_queries(w3c):
    _refused(w3c.get("/sparql", query_string=[("query", "ASK {}"), ("query", "SELECT * {}")], headers=JSON))


def test_bad_multiple_queries_form(w3c):
    _refused(w3c.post("/sparql", data=urlencode([("query", "ASK {}"), ("query", "SELECT * {}")]), content_type=FORM))


def test_bad_query_in_url_and_in_body(w3c):
    _refused(w3c.post("/sparql?query=ASK%20%7B%7D", data="SELECT * {}", content_type="application/sparql-query"))


def test_bad_get_with_a_body(w3c):
    _refused(w3c.get("/sparql", query_string={"query": "ASK {}"}, data="SELECT * {}",
                     content_type="application/sparql-query", headers=JSON))


def test_bad_query_and_update(w3c):
    _refused(w3c.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"}, content_type=FORM))


def test_bad_query_wrong_media_type(w3c):
    _refused(w3c.post("/sparql", data="ASK {}", content_type="text/plain"))


def test_bad_query_missing_form_type(w3c):
    _refused(w3c.post("/sparql", input_stream=io.BytesIO(b"query=ASK%20%7B%7D"),
                      headers={"Content-Length": "18"}))


def test_bad_query_missing_direct_type(w3c):
    _refused(w3c.post("/sparql", input_stream=io.BytesIO(b"ASK {}"), headers={"Content-Length": "6"}))


def test_bad_query_non_utf8(w3c):
    _refused(w3c.post("/sparql", data="ASK {}".encode("utf-16"), content_type="application/sparql-query; charset=UTF-16"))


def test_bad_query_syntax(w3c):
    _refused(w3c.get("/sparql", query_string={"query": "ASK {"}, headers=JSON))


def test_bad_no_query(w3c):
    _refused(w3c.get("/sparql", headers=JSON))
