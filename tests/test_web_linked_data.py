"""Linked Data clients: JSON-LD with a context, graph IRIs that dereference, plain JSON answered,
caching keyed to the build, compressed dumps, a licence, and no server paths on show."""
from __future__ import annotations

import gzip
import json
import re
import tomllib
from html import unescape
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, FOAF

ROOT = Path(__file__).resolve().parents[1]
SPAIN = "https://w3id.org/r2pkg/id/state/spain"
INFERRED = "https://w3id.org/r2pkg/graph/inferred"
CC_BY = rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")


@pytest.fixture(scope="module")
def built(built_data_dir, web_queries_dir):
    """A client of the bundled corpus's real build (its report, dumps and compressed dumps)."""
    from r2pkg.webapp import create_app

    return create_app({"TESTING": True, "DATA_DIR": str(built_data_dir), "QUERIES_DIR": str(web_queries_dir)}).test_client()


def _same_graph(jsonld: bytes, turtle: bytes) -> bool:
    from rdflib.compare import isomorphic

    return isomorphic(rdflib.Graph().parse(data=jsonld, format="json-ld"), rdflib.Graph().parse(data=turtle, format="turtle"))


# ---- JSON-LD with an @context ------------------------------------------------------------------

def test_entity_jsonld_has_a_context_and_says_what_the_turtle_says(client):
    jsonld = client.get("/data/state/spain.jsonld")
    body = json.loads(jsonld.data)
    assert body["@context"]["r2p"] == "https://w3id.org/r2pkg/ontology#"
    assert any("r2p:" in key or "skos:" in key or "rdfs:" in key for node in body["@graph"] for key in node)
    assert _same_graph(jsonld.data, client.get("/data/state/spain.ttl").data)


def test_construct_as_jsonld_has_a_context(client):
    query = f"CONSTRUCT {{ <{SPAIN}> ?p ?o }} WHERE {{ <{SPAIN}> ?p ?o }}"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/ld+json"})
    assert "@context" in json.loads(response.data)


def test_the_jsonld_dump_has_a_context(built_data_dir):
    from r2pkg.graph.store import current_build

    from r2pkg.graph import dumps

    head = dumps.reading(current_build(built_data_dir).dumps, "graph.jsonld").read(200)
    assert head.startswith(b'{"@context": {"r2p": "https://w3id.org/r2pkg/ontology#"')


# ---- the named graphs' IRIs dereference -------------------------------------------------------

def test_a_graph_iri_is_a_page_for_a_browser(client):
    response = client.get("/graph/inferred", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and INFERRED in html and "OWL RL closure" in html


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                        ("application/ld+json", "json-ld"), ("application/json", "json-ld")])
def test_a_graph_iri_gives_its_triples_to_an_rdf_client(client, accept, fmt):
    response = client.get("/graph/inferred", headers={"Accept": accept})
    assert response.status_code == 200 and "Accept" in response.headers["Vary"]
    served = rdflib.Graph().parse(data=response.data, format=fmt)
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}"
    stored = rdflib.Graph().parse(data=client.get("/sparql", query_string={"query": query},
                                                  headers={"Accept": "text/turtle"}).data, format="turtle")
    assert len(served) == len(stored) > 10


def test_a_document_graph_dereferences_too(client):
    response = client.get("/graph/document/2017-7th-annual-meeting-doha", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and len(rdflib.Graph().parse(data=response.data, format="turtle")) > 0


def test_a_graph_larger_than_the_row_limit_is_described(make_app_client):
    small = make_app_client(SPARQL_MAX_ROWS=5)
    response = small.get("/graph/inferred", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    assert response.status_code == 200
    assert (rdflib.URIRef(INFERRED), void.sparqlEndpoint, None) in graph
    assert (rdflib.URIRef(INFERRED), void.dataDump, None) in graph


def test_an_unknown_graph_is_404(client):
    assert client.get("/graph/no-such-graph", headers={"Accept": "text/turtle"}).status_code == 404


def test_graph_iris_on_pages_link_to_their_graph_page():
    from r2pkg.webapp.urls import Urls

    assert Urls().link(INFERRED) == "/graph/inferred"


# ---- plain JSON is answered --------------------------------------------------------------------

def test_an_entity_iri_asked_for_json_gets_jsonld(client):
    response = client.get("/id/state/spain", headers={"Accept": "application/json"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/data/state/spain.jsonld")
    data = client.get(response.headers["Location"])
    assert data.status_code == 200 and "@context" in json.loads(data.data)


def test_a_construct_asked_for_json_gets_jsonld(client):
    query = f"CONSTRUCT {{ <{SPAIN}> ?p ?o }} WHERE {{ <{SPAIN}> ?p ?o }}"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.mimetype == "application/ld+json"


def test_the_ontology_asked_for_json_gets_jsonld(client):
    response = client.get("/ontology", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    assert "@context" in json.loads(response.data)


# ---- Cache-Control and ETag, keyed to the build -------------------------------------------------

@pytest.mark.parametrize("path,accept", [("/page/state/spain", "text/html"), ("/data/state/spain.ttl", "text/turtle"),
                                         ("/", "text/html"), ("/graph/inferred", "text/turtle"),
                                         ("/sparql?query=ASK%20%7B%7D", "application/sparql-results+json")])
def test_pages_and_data_revalidate_with_their_etag(client, path, accept):
    first = client.get(path, headers={"Accept": accept})
    assert first.status_code == 200 and first.headers.get("ETag")
    assert "max-age=" in first.headers["Cache-Control"]
    again = client.get(path, headers={"Accept": accept, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data and again.headers["ETag"] == first.headers["ETag"]


def test_the_etag_follows_the_representation(client):
    turtle = client.get("/graph/inferred", headers={"Accept": "text/turtle"}).headers["ETag"]
    ntriples = client.get("/graph/inferred", headers={"Accept": "application/n-triples"})
    assert ntriples.headers["ETag"] != turtle
    stale = client.get("/graph/inferred", headers={"Accept": "application/n-triples", "If-None-Match": turtle})
    assert stale.status_code == 200


def test_a_new_build_changes_the_etag(tmp_path, make_fixture_build, web_queries_dir):
    from r2pkg.webapp import create_app

    tags = []
    for name in ("one", "two"):
        root = make_fixture_build(tmp_path / name)
        client = create_app({"TESTING": True, "DATA_DIR": str(root), "QUERIES_DIR": str(web_queries_dir)}).test_client()
        tags.append(client.get("/page/state/spain").headers["ETag"])
    assert tags[0] != tags[1]


def test_a_conditional_get_with_the_current_etag_is_answered_before_the_page_is_built(client, monkeypatch):
    from r2pkg.webapp import bp_entity

    first = client.get("/page/state/spain")

    def not_again(*args, **kwargs):
        raise AssertionError("the page was built for a client that has it")

    monkeypatch.setattr(bp_entity, "build_page", not_again)
    again = client.get("/page/state/spain", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]


@pytest.mark.parametrize("path,view", [("/", "bp_home._render_home"), ("/list/State?sort=meetings", "bp_lists.build_list"),
                                       ("/page/state/spain", "bp_entity._render_page")])
def test_a_page_asked_again_for_the_same_build_is_not_made_again(make_app_client, monkeypatch, path, view):
    """Anonymous visitors' pages are kept by their ETag: the second visitor gets the same HTML, not remade."""
    from r2pkg.webapp import bp_entity, bp_home, bp_lists

    module, name = view.split(".")
    module = {"bp_home": bp_home, "bp_lists": bp_lists, "bp_entity": bp_entity}[module]
    made, real = [], getattr(module, name)
    monkeypatch.setattr(module, name, lambda *args: made.append(args) or real(*args))
    client = make_app_client()
    first, second = client.get(path), client.get(path)
    assert first.status_code == second.status_code == 200 and first.data == second.data and len(made) == 1
    assert client.get(path + ("&" if "?" in path else "?") + "page=2").status_code == 200 and len(made) == 2


def test_a_page_with_a_message_for_its_visitor_is_neither_kept_nor_validated(make_app_client):
    client = make_app_client()
    kept = client.get("/")
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "A note for this visitor only")]
    shown = client.get("/")
    assert "A note for this visitor only" in shown.get_data(as_text=True) and "ETag" not in shown.headers
    after = client.get("/")
    assert "A note for this visitor only" not in after.get_data(as_text=True) and after.data == kept.data


def test_a_build_published_while_serving_is_served_at_the_next_request(tmp_path, make_fixture_build, web_queries_dir):
    """`current` swapped to a new build (as graph/store.py publishes one) under a running app: the next page
    comes from the new build, with a new ETag."""
    import os
    import shutil

    from r2pkg.webapp import create_app

    served = make_fixture_build(tmp_path / "served")
    newer = make_fixture_build(tmp_path / "newer", """<https://w3id.org/r2pkg/graph/gazetteer> {
  <https://w3id.org/r2pkg/id/state/spain> <http://www.w3.org/2004/02/skos/core#altLabel> "Kingdom of Tiles"@en . }""")
    client = create_app({"TESTING": True, "DATA_DIR": str(served), "QUERIES_DIR": str(web_queries_dir)}).test_client()
    before = client.get("/page/state/spain")
    assert "Kingdom of Tiles" not in before.get_data(as_text=True)
    build = (newer / "current").resolve()
    moved = served / "builds" / (build.name + "-newer")
    shutil.move(str(build), str(moved))
    link = served / "current.swap"
    link.symlink_to(moved.relative_to(served))
    os.replace(link, served / "current")
    after = client.get("/page/state/spain")
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "Kingdom of Tiles" in after.get_data(as_text=True)


# ---- dumps: compressed, and no server paths ---------------------------------------------------

def test_a_dump_comes_gzipped_to_a_client_that_accepts_it(built):
    plain = built.get("/dumps/graph.ttl")
    packed = built.get("/dumps/graph.ttl", headers={"Accept-Encoding": "gzip"})
    assert packed.status_code == 200 and packed.headers["Content-Encoding"] == "gzip"
    assert packed.mimetype == "text/turtle" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data and len(packed.data) < len(plain.data) / 3


def test_the_gz_files_are_downloads(built):
    response = built.get("/dumps/graph.nq.gz")
    assert response.status_code == 200 and response.mimetype == "application/gzip"
    assert gzip.decompress(response.data) == built.get("/dumps/graph.nq").data
    assert "graph.nq.gz" in built.get("/dumps").get_data(as_text=True)


def test_a_client_that_does_not_accept_gzip_gets_the_dump_decompressed_with_its_length(built):
    plain = built.get("/dumps/graph.nt")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert int(plain.headers["Content-Length"]) == len(plain.data) > 1000
    assert plain.data.decode("utf-8").splitlines()[0].endswith(" .")
    again = built.get("/dumps/graph.nt", headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    packed = built.get("/dumps/graph.nt", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["ETag"] != plain.headers["ETag"]


def test_the_dumps_of_a_build_made_before_they_were_kept_gzipped_only_are_served(tmp_path, make_fixture_build,
                                                                               web_queries_dir):
    """Plain files in dumps/ and their gzipped copies in dumps-gz/, as builds of earlier versions left them."""
    from r2pkg.webapp import create_app

    root = make_fixture_build(tmp_path / "data")
    build = root / "builds" / "x"
    (build / "dumps-gz").mkdir()
    for packed in sorted((build / "dumps").glob("*.gz")):
        (build / "dumps" / packed.stem).write_bytes(gzip.decompress(packed.read_bytes()))
        packed.rename(build / "dumps-gz" / packed.name)
    (build / "dumps" / "sizes.json").unlink()
    client = create_app({"TESTING": True, "DATA_DIR": str(root), "QUERIES_DIR": str(web_queries_dir)}).test_client()
    page = client.get("/dumps").get_data(as_text=True)
    assert "graph.trig.gz" in page and "graph.ttl" in page
    assert client.get("/dumps/graph.trig").data == (build / "dumps" / "graph.trig").read_bytes()
    packed = client.get("/dumps/graph.trig", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == (build / "dumps" / "graph.trig").read_bytes()


def test_the_dumps_page_shows_no_server_paths(built, built_data_dir):
    html = built.get("/dumps").get_data(as_text=True)
    assert "Build report" in html and "2012-2nd-annual-meeting.txt" in html
    assert str(built_data_dir) not in html and str(ROOT) not in html
    report = html.split('<pre class="report">', 1)[1].split("</pre>", 1)[0]
    assert not re.search(r"(?:/[\w.-]+){2,}", unescape(report)), "an absolute path is in the build report"


# ---- licence -------------------------------------------------------------------------------------

def test_void_states_licence_publisher_and_modification(built):
    graph = rdflib.Graph().parse(data=built.get("/dumps/void.ttl").data, format="turtle")
    dataset = rdflib.URIRef("http://localhost/dumps/void.ttl#dataset")
    assert graph.value(dataset, DCTERMS.license) == CC_BY
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert publisher is not None and graph.value(publisher, FOAF.name)
    modified = graph.value(dataset, DCTERMS.modified)
    assert modified is not None and modified.datatype == rdflib.XSD.dateTime


def test_code_and_data_carry_a_licence():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"] == "MIT"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Licence" in readme and str(CC_BY) in readme.split("## Licence", 1)[1]


def test_a_changed_saved_query_changes_the_etag(tmp_path, web_data_dir, web_queries_dir):
    import shutil

    from r2pkg.webapp import create_app

    folder = tmp_path / "queries"
    shutil.copytree(web_queries_dir, folder)
    client = create_app({"TESTING": True, "DATA_DIR": str(web_data_dir), "QUERIES_DIR": str(folder)}).test_client()
    before = client.get("/queries").headers["ETag"]
    (folder / "added.rq").write_text("#+ summary: Everything typed\nSELECT ?s WHERE { ?s a ?c } LIMIT 5\n", encoding="utf-8")
    after = client.get("/queries", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["ETag"] != before
