"""Ontology page and files; dumps and VoID; errors never show a stack trace."""
from __future__ import annotations

import pytest
import rdflib

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


def test_ontology_page(client):
    html = client.get("/ontology").get_data(as_text=True)
    assert 'id="State"' in html and "A sovereign state" in html
    assert "subclass of" in html and "domain" in html and "range" in html
    assert "chain:" in html and "heldInCity" in html        # property chain axiom
    assert "equivalent to hasFocalPoint some FocalPointPost" in html
    assert 'id="hierarchy"' in html


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                        ("application/rdf+xml", "xml"), ("application/n-triples", "nt")])
def test_ontology_by_content_negotiation(client, accept, fmt):
    r = client.get("/ontology", headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept and "Accept" in r.headers["Vary"]
    g = rdflib.Graph().parse(data=r.data, format=fmt)
    assert (rdflib.URIRef("https://w3id.org/r2pkg/ontology#State"), rdflib.RDF.type, rdflib.OWL.Class) in g


def test_ontology_files(client):
    assert client.get("/ontology.ttl").mimetype == "text/turtle"
    assert client.get("/ontology.exe").status_code == 404


def test_dumps_page_and_files(client):
    html = client.get("/dumps").get_data(as_text=True)
    for name in ("graph.trig", "graph.ttl", "graph.nt", "graph.jsonld", "void.ttl"):
        assert name in html
    r = client.get("/dumps/graph.trig")
    assert r.status_code == 200 and r.mimetype == "application/trig"
    assert client.get("/dumps/graph.nt").mimetype == "application/n-triples"
    assert client.get("/dumps/../report.json").status_code == 404
    assert client.get("/dumps/secret.txt").status_code == 404


def test_void(client):
    r = client.get("/dumps/void.ttl")
    assert r.mimetype == "text/turtle"
    g = rdflib.Graph().parse(data=r.data, format="turtle")
    ds = next(g.subjects(rdflib.RDF.type, VOID.Dataset))
    assert int(g.value(ds, VOID.triples)) > 100
    assert str(g.value(ds, VOID.sparqlEndpoint)).endswith("/sparql")
    assert len(list(g.objects(ds, VOID.dataDump))) == 4
    assert str(g.value(ds, VOID.uriSpace)) == "https://w3id.org/r2pkg/id/"


@pytest.mark.parametrize("path", ["/nowhere", "/page/", "/queries/x/y"])
def test_404s_are_pages_not_traces(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "Traceback" not in r.get_data(as_text=True)


def test_internal_errors_hide_the_trace(make_app_client, monkeypatch):
    from r2pkg.webapp import bp_home

    client = make_app_client()
    monkeypatch.setattr(bp_home, "build_chart", lambda points: 1 / 0)
    r = client.get("/")
    assert r.status_code == 500 and "ZeroDivision" not in r.get_data(as_text=True)
