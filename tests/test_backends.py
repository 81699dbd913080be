"""The same graph, app and answers whatever the back end: the embedded store or a SPARQL 1.1 server.

Every test with a `backend` fixture runs once per back end of conftest.BACKENDS: the embedded
store, a real `oxigraph serve` started here, and (in CI, where .ci/run starts it) Virtuoso from
Debian's virtuoso-opensource. The bundled corpus's build is sent to each server the way
`r2pkg build --store sparql` sends it; answers are compared with the embedded store's.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from r2pkg.graph.vocab import GRAPH

from servers import backend_difference, free_port, oxigraph_config, oxigraph_server

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def rows_of(result) -> list[tuple]:
    """A result's rows as comparable tuples; blank nodes (relabelled by every server) as "_:"."""
    def value(term):
        return "_:" if isinstance(term, ox.BlankNode) else (str(term) if term is not None else None)

    if result.kind == "ask":
        return [(result.boolean,)]
    if result.kind == "graph":
        return sorted((value(t.subject), value(t.predicate), value(t.object)) for t in result.triples)
    return sorted(tuple(value(row.get(v)) for v in result.variables) for row in result.rows)


@pytest.fixture(scope="module")
def embedded(built_data_dir):
    from r2pkg.graph.store import open_store

    return open_store(built_data_dir)


# ------------------------------------------------------------------------------------------
# Queries see the embedded store's dataset
# ------------------------------------------------------------------------------------------

DATASET_QUERIES = {
    "triples in the default graph (the merge: each triple once)":
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "named graphs and their sizes (the build's graphs, nothing else)":
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "a triple stated by two documents answers once":
        "SELECT ?m ?p ?o WHERE { ?m a <https://w3id.org/r2pkg/ontology#Meeting> ; ?p ?o }",
    "FROM picks one graph":
        "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/r2pkg/graph/inferred> WHERE { ?s ?p ?o }",
    "ASK":
        "ASK { ?s a <https://w3id.org/r2pkg/ontology#FocalPoint> }",
    "CONSTRUCT":
        "CONSTRUCT { ?m <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE { ?m a "
        "<https://w3id.org/r2pkg/ontology#Meeting> ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }",
}


@pytest.mark.parametrize("query", DATASET_QUERIES.values(), ids=DATASET_QUERIES.keys())
def test_queries_answer_as_on_the_embedded_store(backend_store, embedded, query):
    from r2pkg.graph.sparql import run_query

    assert rows_of(run_query(backend_store, query, timeout=30)) == rows_of(run_query(embedded, query))


def test_graph_patterns_never_see_the_servers_bookkeeping_graphs(backend_store):
    from r2pkg.graph.remote import DATASET_GRAPH, MERGED_GRAPH
    from r2pkg.graph.sparql import run_query

    graphs = {row["g"].value for row in run_query(backend_store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                                   timeout=30).rows}
    assert graphs and all(g.startswith(str(GRAPH)) for g in graphs)
    assert not graphs & {MERGED_GRAPH, DATASET_GRAPH}


def test_entity_quads_are_the_same(backend_store, embedded):
    denmark = ox.NamedNode("https://w3id.org/r2pkg/id/state/denmark")

    def quads(store) -> list[str]:
        return sorted(map(str, store.quads_for_pattern(denmark, None, None, None))
                      ) + sorted(map(str, store.quads_for_pattern(None, None, denmark, None)))

    assert quads(backend_store) == quads(embedded)


def test_updates_and_bad_queries_are_refused_before_reaching_the_server(backend_store):
    from r2pkg.graph.sparql import QueryError, QueryRefused, run_query

    with pytest.raises(QueryRefused):
        run_query(backend_store, "DELETE WHERE { ?s ?p ?o }", timeout=10)
    with pytest.raises(QueryError, match="malformed"):
        run_query(backend_store, "SELECT ?s WHERE { ?s ", timeout=10)
    assert run_query(backend_store, "ASK { ?s ?p ?o }", timeout=10).boolean   # nothing was deleted


# ------------------------------------------------------------------------------------------
# Saved queries and pages
# ------------------------------------------------------------------------------------------

def _saved_names() -> list[str]:
    from r2pkg.graph.savedqueries import load_saved_queries

    return sorted(load_saved_queries())


EXAMPLE_PARAMETERS = {
    "fact-evidence": {"subject": "Denmark"},
    "meeting-participants": {"ordinal": "9"},
    "meeting-recommendations": {"ordinal": "5"},
    "state-profile": {"state": "Denmark"},
    "theme-across-meetings": {"theme": "Risk factors for atrocity crimes"},
}


@pytest.mark.parametrize("name", _saved_names())
def test_every_saved_query_answers_alike(backend, backend_store, embedded, name):
    """The same rows in the same order, except where a back end is known to differ (servers.py)."""
    from r2pkg.graph.savedqueries import run_saved
    from r2pkg.graph.sparql import SparqlError

    params = EXAMPLE_PARAMETERS.get(name, {})
    expected = run_saved(embedded, name, params)
    try:
        answer = run_saved(backend_store, name, params)
    except SparqlError as exc:
        answer = exc
    difference = backend_difference(backend.name, name)
    if difference and answer != expected:
        pytest.xfail(difference)
    assert answer == expected


def _normalised(html: str) -> str:
    """A page without what differs between two renderings of the same graph: timings."""
    return re.sub(r"\d+(?:\.\d+)? ?(?:ms|s)\b", "T", html)


PAGES = ["/", "/queries", "/queries/meetings", "/queries/focal-points", "/queries/state-profile?state=Denmark",
         "/page/state/denmark", "/page/state/ghana", "/page/meeting/annual-meeting-9", "/page/person/simona-cruciani",
         "/search?q=focal", "/ontology", "/documents/2019-9th-annual-meeting-brussels", "/list", "/list/Person",
         "/list/Agent?sort=meetings", "/list/AnnualMeeting", "/documents"]


@pytest.fixture(scope="module")
def clients(built_data_dir, backend):
    """Test clients of the app on the embedded store and on the back end."""
    from r2pkg.webapp import create_app

    def client(server):
        return create_app({"TESTING": True, "DATA_DIR": str(built_data_dir), "STORE_SERVER": server,
                           "SPARQL_TIMEOUT": 30}).test_client()

    return client(None), client(backend.server)


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_the_same_on_every_backend(backend, clients, path):
    saved = path.split("?")[0].removeprefix("/queries/") if path.startswith("/queries/") else None
    difference = saved and backend_difference(backend.name, saved)
    if difference:
        pytest.xfail(difference)
    embedded_page, backend_page = (c.get(path) for c in clients)
    assert backend_page.status_code == embedded_page.status_code
    assert _normalised(backend_page.get_data(as_text=True)) == _normalised(embedded_page.get_data(as_text=True))


def test_the_sparql_endpoint_answers_alike(clients):
    query = "SELECT ?m ?d WHERE { ?m <https://w3id.org/r2pkg/ontology#startDate> ?d } ORDER BY ?d"
    answers = [c.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
               for c in clients]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].get_json() == answers[1].get_json()


def test_predeclared_prefixes_and_relative_iris_work_on_every_backend(clients):
    """The endpoint's prologue (its base IRI, the project's prefixes) reaches a SPARQL server too."""
    select = "SELECT ?m ?d WHERE { ?m r2p:startDate ?d } ORDER BY ?d"
    answers = [c.get("/sparql", query_string={"query": select}, headers={"Accept": "application/sparql-results+json"})
               for c in clients]
    assert [a.status_code for a in answers] == [200, 200] and answers[0].get_json() == answers[1].get_json()
    construct = "CONSTRUCT { <s> <p> 1 } WHERE {}"
    answers = [c.get("/sparql", query_string={"query": construct}, headers={"Accept": "application/n-triples"})
               for c in clients]
    assert [a.get_data(as_text=True).split()[:2] for a in answers] == [["<http://localhost/s>", "<http://localhost/p>"]] * 2
    undeclared = [c.get("/sparql", query_string={"query": "SELECT * { ?s ex:p ?o }"}) for c in clients]
    assert all(a.status_code == 400 and "undeclared prefix ex" in a.get_data(as_text=True) for a in undeclared)


# ------------------------------------------------------------------------------------------
# The command line on a server of its own
# ------------------------------------------------------------------------------------------

def r2pkg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "r2pkg.graph.cli", *args], capture_output=True, text=True, timeout=300)


def store_args(config) -> list[str]:
    return ["--store", "sparql", "--query-url", config.query_url, "--gsp-url", config.gsp_url]


def test_build_sends_the_graph_and_query_reads_it_back(tmp_path):
    with oxigraph_server(None, tmp_path / "server") as url:
        config = oxigraph_config(url)
        built = r2pkg("build", "--quiet", "--data-dir", str(tmp_path / "data"), *store_args(config))
        assert built.returncode == 0, built.stderr
        assert f"Published to {url}" in built.stdout
        remote = r2pkg("query", "meetings", "--format", "csv", *store_args(config))
        local = r2pkg("query", "meetings", "--format", "csv", "--data-dir", str(tmp_path / "data"))
        assert remote.returncode == 0, remote.stderr
        assert remote.stdout == local.stdout and local.stdout.count("\n") > 4


def test_a_new_build_replaces_the_graphs_of_the_previous_one(tmp_path):
    from r2pkg.graph.build import build
    from r2pkg.graph.remote import RemoteStore, publish
    from r2pkg.graph.store import open_store

    documents = sorted(CORPUS.glob("*.txt"))
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, picked in ((first, documents[:2]), (second, documents[2:3])):
        folder.mkdir()
        for path in picked:
            (folder / path.name).write_bytes(path.read_bytes())
    with oxigraph_server(None, tmp_path / "server") as url:
        server = RemoteStore(oxigraph_config(url))
        for n, folder in enumerate((first, second)):
            data = tmp_path / f"data{n}"
            build([folder], data)
            publish(open_store(data), server, stamp=f"build-{n}")
        graphs = {g for g in server.named_graphs() if "/document/" in g}
        assert graphs == {f"{GRAPH}document/{documents[2].stem}"}
        assert server.build_stamp(fresh=True) == "build-1"
        dropped = {q.graph_name for q in server.quads_for_pattern(None, None, None, ox.NamedNode(
            f"{GRAPH}document/{documents[0].stem}"))}
        assert not dropped


def test_an_unreachable_server_is_named_in_one_line(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/query"
    result = r2pkg("query", "meetings", "--store", "sparql", "--query-url", url)
    assert result.returncode == 1
    assert url in result.stderr and "Traceback" not in result.stderr


def test_sparql_store_needs_its_urls():
    result = r2pkg("build", "--store", "sparql", "--query-url", "http://127.0.0.1:1/query")
    assert result.returncode == 1
    assert "--gsp-url" in result.stderr and "--update-url" in result.stderr


@pytest.mark.parametrize("endpoint", ["gsp", "update"])
def test_blank_nodes_and_parts_survive_the_upload(tmp_path, built_data_dir, embedded, monkeypatch, endpoint):
    """Sent in parts of 50 triples, over the Graph Store Protocol or as SPARQL Update, every graph
    arrives whole: the ontology's restrictions keep their blank nodes."""
    from r2pkg.graph import remote
    from r2pkg.graph.remote import RemoteStore, ServerConfig, publish
    from r2pkg.graph.sparql import run_query

    monkeypatch.setattr(remote, "UPLOAD_PART", 50)
    restrictions = ("SELECT ?p ?q ?c WHERE { ?r <http://www.w3.org/2002/07/owl#onProperty> ?p ; ?q ?c . "
                    "FILTER(isBlank(?r)) FILTER(!isBlank(?c)) }")
    with oxigraph_server(None, tmp_path / "server") as url:
        config = oxigraph_config(url)
        config = ServerConfig(url, config.update_url, None) if endpoint == "update" else ServerConfig(url, None, config.gsp_url)
        server = RemoteStore(config)
        publish(embedded, server, stamp="parts")
        assert len(server) == len(embedded)
        assert rows_of(run_query(server, restrictions, timeout=30)) == rows_of(run_query(embedded, restrictions))


def test_a_query_past_its_time_limit_stops_the_wait(tmp_path, built_data_dir):
    from r2pkg.graph.remote import RemoteStore, publish
    from r2pkg.graph.sparql import QueryTimeout, run_query
    from r2pkg.graph.store import open_store

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with oxigraph_server(None, tmp_path / "server") as url:   # its own server: it goes on with the query
        server = RemoteStore(oxigraph_config(url))
        publish(open_store(built_data_dir), server, stamp="slow")
        with pytest.raises(QueryTimeout, match="time limit of 0.5 s"):
            run_query(server, slow, timeout=0.5)


def test_serving_an_empty_server_says_to_build_first(tmp_path):
    with oxigraph_server(None, tmp_path / "server") as url:
        result = r2pkg("serve", "--port", str(free_port()), "--store", "sparql", "--query-url", url)
    assert result.returncode == 1
    assert "no graph on the SPARQL server" in result.stderr and "r2pkg build --store sparql" in result.stderr
