"""graph/sparql.py: the one place queries run, with row caps, time limits and refusals."""
from __future__ import annotations

import csv
import io
import json
import time
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from r2pkg.graph import sparql
from r2pkg.graph.sparql import (QueryError, QueryRefused, QueryResult, QueryTimeout, StoreUnavailable,
                                run_query, serialize_results)

P = "PREFIX r2p: <https://w3id.org/r2pkg/ontology#>\n"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def pool(web_data_dir):
    return sparql.get_pool(web_data_dir)


def test_select_in_process(web_data_dir):
    r = run_query(web_data_dir, P + "SELECT ?m ?o WHERE { ?m a r2p:AnnualMeeting ; r2p:ordinal ?o } ORDER BY ?o")
    assert r.kind == "select" and r.variables == ["m", "o"]
    assert [row["o"].value for row in r.rows] == ["5", "7"]
    assert not r.truncated and r.elapsed >= 0


def test_default_graph_is_union_of_all_graphs(web_data_dir):
    r = run_query(web_data_dir, "ASK { <https://w3id.org/r2pkg/id/state/spain> ?p ?o }")
    assert r.kind == "ask" and r.boolean is True
    r = run_query(web_data_dir, "ASK { <https://w3id.org/r2pkg/id/state/spain> ?p ?o }", default_graph_as_union=False)
    assert r.boolean is False


def test_dataset_parameters(web_data_dir):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    inferred = run_query(web_data_dir, q, default_graphs=["https://w3id.org/r2pkg/graph/inferred"])
    whole = run_query(web_data_dir, q)
    assert 0 < int(inferred.rows[0]["n"].value) < int(whole.rows[0]["n"].value)
    r = run_query(web_data_dir, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                  named_graphs=["https://w3id.org/r2pkg/graph/corpus"])
    assert [row["g"].value for row in r.rows] == ["https://w3id.org/r2pkg/graph/corpus"]


def test_substituted_parameter_need_not_be_projected(web_data_dir):
    q = P + """SELECT ?m (COUNT(?h) AS ?n) WHERE { ?m r2p:hostedBy ?h ; r2p:ordinal ?o FILTER(?o >= ?least) }
               GROUP BY ?m ORDER BY ?m"""
    r = run_query(web_data_dir, q, substitutions={"least": 6})
    assert r.variables == ["m", "n"] and len(r.rows) == 1 and r.rows[0]["n"].value == "1"
    r = run_query(web_data_dir, q, substitutions={"least": 6}, timeout=5)
    assert r.variables == ["m", "n"] and len(r.rows) == 1


def test_row_cap_flags_truncation(web_data_dir):
    r = run_query(web_data_dir, "SELECT * WHERE { ?s ?p ?o }", max_rows=3)
    assert len(r.rows) == 3 and r.truncated
    r = run_query(web_data_dir, "CONSTRUCT WHERE { ?s ?p ?o }", max_rows=5)
    assert r.kind == "graph" and len(r.triples) == 5 and r.truncated


def test_substitutions_bind_values(web_data_dir):
    q = P + "SELECT ?m WHERE { ?m r2p:hostedBy ?host }"
    for host in (ox.NamedNode("https://w3id.org/r2pkg/id/state/qatar"),
                 __import__("rdflib").URIRef("https://w3id.org/r2pkg/id/state/qatar")):
        r = run_query(web_data_dir, q, substitutions={"host": host})
        assert [row["m"].value for row in r.rows] == ["https://w3id.org/r2pkg/id/meeting/7th-annual-meeting"]


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL",
    "DROP GRAPH <http://x>",
    "LOAD <http://example.org/x.ttl>",
    "CREATE GRAPH <http://x>",
    "PREFIX x: <http://x/> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
])
def test_updates_are_refused(web_data_dir, update):
    with pytest.raises(QueryRefused):
        run_query(web_data_dir, update)
    with pytest.raises(QueryRefused):
        run_query(web_data_dir, update, timeout=2)


def test_update_word_inside_a_string_is_fine(web_data_dir):
    r = run_query(web_data_dir, 'SELECT ?x WHERE { BIND("DROP ALL; INSERT DATA {}" AS ?x) }')
    assert r.rows[0]["x"].value.startswith("DROP")


def test_service_refused_unless_allowed(web_data_dir):
    q = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryRefused, match="SERVICE"):
        run_query(web_data_dir, q)
    with pytest.raises(QueryRefused):
        run_query(web_data_dir, "SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }")


def test_the_word_service_elsewhere_is_fine(web_data_dir):
    q = ('PREFIX ex: <http://example.org/> SELECT ?x WHERE { BIND("SERVICE" AS ?x) '
         'OPTIONAL { ?x <http://example.org/SERVICE> ?y } OPTIONAL { ?x ex:service ?z } }  # SERVICE')
    assert run_query(web_data_dir, q).rows[0]["x"].value == "SERVICE"


@pytest.mark.parametrize("bad", ["SELECT ?s WHERE { ?s ?p }", "SELEKT * {}", "", "   "])
def test_malformed_queries_raise_query_error(web_data_dir, bad):
    with pytest.raises(QueryError) as info:
        run_query(web_data_dir, bad)
    assert str(info.value)


def test_syntax_error_message_comes_from_the_parser(web_data_dir):
    with pytest.raises(QueryError, match="line 1, column 26"):
        run_query(web_data_dir, "SELECT ?s WHERE { ?s ?p }", timeout=2)


def test_pool_runs_queries(web_data_dir, pool):
    r = run_query(web_data_dir, P + "SELECT ?m WHERE { ?m a r2p:AnnualMeeting }", timeout=5)
    assert len(r.rows) == 2


def test_pool_timeout_kills_and_replaces_worker(web_data_dir, pool):
    killed = pool.killed
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        run_query(web_data_dir, SLOW, timeout=0.3)
    assert time.monotonic() - started < 2
    assert pool.killed == killed + 1
    # the pool keeps answering (other warm workers, and the replacement)
    for _ in range(5):
        assert run_query(web_data_dir, "ASK { ?s ?p ?o }", timeout=5).boolean is True


def test_pool_sees_a_new_build(tmp_path, make_fixture_build):
    import os

    data = make_fixture_build(tmp_path)
    pool = sparql.QueryPool(data, size=1)
    try:
        q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        before = int(pool.run(q, {"max_rows": 10}, 5).rows[0]["n"].value)
        (tmp_path / "builds" / "y").mkdir()
        store = ox.Store(str(tmp_path / "builds" / "y" / "store"))
        store.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("c"), ox.DefaultGraph()))
        store.flush()
        del store
        os.symlink("builds/y", tmp_path / "cur2")
        os.replace(tmp_path / "cur2", tmp_path / "current")
        after = int(pool.run(q, {"max_rows": 10}, 5).rows[0]["n"].value)
        assert before > 1 and after == 1
    finally:
        pool.close()


def test_missing_store(tmp_path):
    with pytest.raises(StoreUnavailable):
        run_query(tmp_path, "ASK {}")


def test_in_memory_store():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("c"), ox.NamedNode("http://g")))
    assert run_query(store, "ASK { ?s ?p ?o }").boolean is True


def _result():
    return QueryResult("select", variables=["s", "l", "n"], rows=[
        {"s": ox.NamedNode("http://x/a"), "l": ox.Literal("Côte, \"d'Ivoire\"", language="fr"),
         "n": ox.Literal("5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))},
        {"s": ox.BlankNode("b0")},
    ])


def test_serialize_json():
    body = json.loads(serialize_results(_result(), "application/sparql-results+json"))
    assert body["head"]["vars"] == ["s", "l", "n"]
    b = body["results"]["bindings"]
    assert b[0]["l"] == {"type": "literal", "value": "Côte, \"d'Ivoire\"", "xml:lang": "fr"}
    assert b[0]["n"]["datatype"].endswith("#integer") and b[1] == {"s": {"type": "bnode", "value": "b0"}}
    assert json.loads(serialize_results(QueryResult("ask", boolean=True), "application/json")) == {"head": {}, "boolean": True}


def test_serialize_xml_csv_tsv():
    root = ET.fromstring(serialize_results(_result(), "application/sparql-results+xml"))
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert [v.get("name") for v in root.iter(ns + "variable")] == ["s", "l", "n"]
    assert len(list(root.iter(ns + "result"))) == 2
    rows = list(csv.reader(io.StringIO(serialize_results(_result(), "text/csv").decode())))
    assert rows[0] == ["s", "l", "n"] and rows[1] == ["http://x/a", "Côte, \"d'Ivoire\"", "5"] and rows[2] == ["_:b0", "", ""]
    tsv = serialize_results(_result(), "text/tab-separated-values").decode().splitlines()
    assert tsv[0] == "?s\t?l\t?n" and tsv[1].startswith("<http://x/a>\t\"Côte")
    ask = ET.fromstring(serialize_results(QueryResult("ask", boolean=False), "application/sparql-results+xml"))
    assert ask.find(ns + "boolean").text == "false"


@pytest.mark.parametrize("media_type,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                            ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_serialize_graph(web_data_dir, media_type, fmt):
    import rdflib

    r = run_query(web_data_dir, "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/r2pkg/graph/inferred> { ?s ?p ?o } }")
    g = rdflib.Graph().parse(data=serialize_results(r, media_type), format=fmt)
    assert len(g) == len(r.triples) > 0


def test_serialize_rejects_wrong_type():
    with pytest.raises(ValueError):
        serialize_results(QueryResult("graph"), "text/csv")
    with pytest.raises(ValueError):
        serialize_results(_result(), "text/turtle")


def test_a_query_that_waits_past_its_limit_for_a_worker_is_told_so(web_data_dir):
    """With every worker busy, the query ends at its own time limit and the message says so."""
    pool = sparql.QueryPool(web_data_dir, size=1)
    busy = pool._idle.take(1.0)     # the only worker is taken
    try:
        with pytest.raises(QueryTimeout, match="time limit of 0.05 s: the server is busy"):
            run_query(web_data_dir, "ASK {}", timeout=0.05, pool=pool)
    finally:
        busy.kill()
        pool.close()
