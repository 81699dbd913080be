"""The SPARQL editor's page and what it relies on from the endpoint (the browser side is
tests/browser/test_sparql_editor.py)."""
from __future__ import annotations

import json
import re
from html import unescape

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def _config(html: str) -> dict:
    return json.loads(html.split('id="sparql-config" type="application/json">')[1].split("</script>")[0])


def test_a_shared_link_opens_the_editor_with_its_query(client):
    shared = "SELECT ?m WHERE { ?m r2p:ordinal 5 }"
    response = client.get("/sparql", query_string={"query": shared}, headers=BROWSER)
    assert response.status_code == 200 and response.mimetype == "text/html" and "Accept" in response.headers["Vary"]
    assert _config(response.get_data(as_text=True))["sharedQuery"] == shared


def test_a_program_with_the_same_link_gets_results(client):
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "*/*"})
    assert response.status_code == 200 and response.mimetype == "application/sparql-results+json"


def test_run_the_text_on_the_endpoint_opens_the_editor(client):
    page = client.get("/queries/meetings").get_data(as_text=True)
    href = unescape(re.search(r'<a href="([^"]+)">Run the text on the endpoint</a>', page).group(1))
    response = client.get(href, headers=BROWSER)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    assert "SELECT" in _config(response.get_data(as_text=True))["sharedQuery"]


def test_the_editor_endpoint_is_an_absolute_url(client):
    config = _config(client.get("/sparql", headers=BROWSER).get_data(as_text=True))
    assert config["endpoint"] == "http://localhost/sparql"


def test_the_project_prefixes_are_predeclared(client):
    query = 'SELECT ?m ?crime WHERE { ?m r2p:ordinal 7 . ?crime skos:prefLabel "genocide"@en }'
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.get_json()["results"]["bindings"]


def test_a_query_own_prefix_wins_over_the_predeclared_one(client):
    query = "PREFIX r2p: <http://example.org/other#> ASK { ?m r2p:ordinal 7 }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/json"})
    assert response.get_json()["boolean"] is False


def test_an_undeclared_prefix_is_named(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n  ?s ex:worksFor ?o }"},
                          headers={"Accept": "application/json"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "undeclared prefix ex: at line 2, column 6" in body and "expected one of" not in body


def test_a_syntax_error_is_said_without_the_grammar_dump(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o "},
                          headers={"Accept": "application/json"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "line 1, column" in body
    assert "\\u{" not in body and "'0'..='9'" not in body and len(body) < 300


def test_the_vocabulary_for_completion_is_ours(client):
    editor = _config(client.get("/sparql", headers=BROWSER).get_data(as_text=True))
    vocabulary = client.get(editor["vocabulary"]).get_json()
    assert "https://w3id.org/r2pkg/ontology#State" in vocabulary["classes"]
    assert "https://w3id.org/r2pkg/ontology#ordinal" in vocabulary["properties"]
    assert "http://www.w3.org/2004/02/skos/core#prefLabel" in vocabulary["properties"]
