"""Real clients over HTTP against the app served by waitress: SPARQLWrapper, rdflib's SPARQLStore, urllib."""
from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

P = "PREFIX r2p: <https://w3id.org/r2pkg/ontology#>\n"


def test_sparqlwrapper_select_json(live_server):
    sw = SPARQLWrapper(live_server + "/sparql")
    sw.setQuery(P + "SELECT ?m ?o WHERE { ?m r2p:ordinal ?o } ORDER BY ?o")
    sw.setReturnFormat(JSON)
    body = sw.query().convert()
    assert [b["o"]["value"] for b in body["results"]["bindings"]] == ["5", "7"]


@pytest.mark.parametrize("fmt", [XML, CSV])
def test_sparqlwrapper_other_formats_and_post(live_server, fmt):
    sw = SPARQLWrapper(live_server + "/sparql")
    sw.setMethod(POST)
    sw.setQuery(P + "SELECT ?m WHERE { ?m a r2p:AnnualMeeting }")
    sw.setReturnFormat(fmt)
    result = sw.query()
    data = result.convert()
    assert data is not None and result.response.status == 200


def test_sparqlwrapper_construct_and_ask(live_server):
    sw = SPARQLWrapper(live_server + "/sparql")
    sw.setQuery("CONSTRUCT WHERE { <https://w3id.org/r2pkg/id/state/spain> ?p ?o }")
    sw.setReturnFormat(TURTLE)
    g = rdflib.Graph().parse(data=sw.query().convert(), format="turtle")
    assert len(g) > 3
    sw = SPARQLWrapper(live_server + "/sparql")
    sw.setQuery("ASK { ?s a <https://w3id.org/r2pkg/ontology#State> }")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True


def test_sparqlwrapper_update_is_refused(live_server):
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    sw = SPARQLWrapper(live_server + "/sparql")
    sw.setMethod(POST)
    sw.setQuery("INSERT DATA { <http://a> <http://b> <http://c> }")
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        sw.query()


def test_rdflib_sparqlstore(live_server):
    graph = rdflib.Graph(SPARQLStore(live_server + "/sparql", returnFormat="json"))
    rows = list(graph.query(P + "SELECT ?label WHERE { ?m r2p:hostedBy ?h . ?h rdfs:label ?label } ORDER BY ?label"))
    assert [str(r.label) for r in rows] == ["Chile", "Qatar", "Spain"]
    spain = rdflib.URIRef("https://w3id.org/r2pkg/id/state/spain")
    assert (spain, rdflib.RDF.type, rdflib.URIRef("https://w3id.org/r2pkg/ontology#State")) in graph
    xml_store = rdflib.Graph(SPARQLStore(live_server + "/sparql"))   # SPARQL XML by default
    assert len(list(xml_store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 3"))) == 3


def test_linked_data_over_http(live_server):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(live_server + "/id/state/spain", headers={"Accept": "text/turtle"})
    with pytest.raises(urllib.error.HTTPError) as info:
        opener.open(request)
    assert info.value.code == 303 and info.value.headers["Location"].endswith("/data/state/spain.ttl")
    g = rdflib.Graph().parse(live_server + "/id/state/spain", format="turtle")   # follows the 303
    assert (rdflib.URIRef("https://w3id.org/r2pkg/id/state/spain"), rdflib.RDFS.label, None) in g


def test_server_stays_responsive_while_a_long_query_is_stopped(live_server):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    outcome = {}

    def run_slow():
        sw = SPARQLWrapper(live_server + "/sparql")
        sw.setQuery(slow)
        sw.setReturnFormat(JSON)
        try:
            sw.query()
            outcome["status"] = 200
        except Exception as exc:  # SPARQLWrapper raises on 503
            outcome["status"] = getattr(getattr(exc, "code", None), "real", None) or str(exc)

    thread = threading.Thread(target=run_slow)
    started = time.monotonic()
    thread.start()
    time.sleep(0.2)
    # meanwhile, pages and quick queries are answered at once
    with urllib.request.urlopen(live_server + "/page/state/spain") as r:
        assert r.status == 200
    quick_started = time.monotonic()
    with urllib.request.urlopen(live_server + "/sparql?query=ASK%7B%7D") as r:
        assert r.status == 200
    assert time.monotonic() - quick_started < 1.5
    thread.join(10)
    assert "status" in outcome and outcome["status"] != 200
    assert time.monotonic() - started < 6
