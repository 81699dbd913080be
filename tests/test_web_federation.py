"""Federated queries: SERVICE is refused unless SPARQL_FEDERATION is on, and then allowed to the allow-list only.

No test contacts the internet: the allowed endpoint is an `oxigraph serve` started here on loopback with a tiny
fixture (the Wikidata label of Spain, whose owl:sameAs the web fixture graph holds).
"""
from __future__ import annotations

import pytest
from servers import oxigraph_server

WIKIDATA = "https://query.wikidata.org/sparql"
DBPEDIA = "https://dbpedia.org/sparql"
FIXTURE = """\
<http://www.wikidata.org/entity/Q29> <http://www.w3.org/2000/01/rdf-schema#label> "Spain (federated fixture)"@en .
"""
JSON = "application/sparql-results+json"


def service_query(endpoint: str) -> str:
    return ("PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "SELECT ?wd ?label WHERE { <https://w3id.org/r2pkg/id/state/spain> owl:sameAs ?wd .\n"
            f"  SERVICE <{endpoint}> {{ ?wd rdfs:label ?label }} }}")


@pytest.fixture(scope="module")
def federated_endpoint(tmp_path_factory):
    """An Oxigraph server on a loopback port holding FIXTURE; yields its query endpoint's IRI."""
    root = tmp_path_factory.mktemp("federated")
    (root / "fixture.nt").write_text(FIXTURE)
    with oxigraph_server(root / "fixture.nt", root / "db", read_only=True) as url:
        yield url


def post(client, query: str):
    return client.post("/sparql", data=query, headers={"Content-Type": "application/sparql-query", "Accept": JSON})


def test_federation_is_off_by_default_and_lists_wikidata_and_dbpedia():
    from r2pkg.webapp.settings import DEFAULTS, SETTINGS

    assert DEFAULTS["SPARQL_FEDERATION"] is False
    assert tuple(DEFAULTS["SPARQL_FEDERATION_ALLOW"]) == (WIKIDATA, DBPEDIA)
    documented = {s.name: s.help for s in SETTINGS}
    assert "SERVICE" in documented["SPARQL_FEDERATION"] and "SERVICE" in documented["SPARQL_FEDERATION_ALLOW"]


@pytest.mark.parametrize("endpoint", [WIKIDATA, DBPEDIA])
def test_off_refuses_service_to_wikidata_and_dbpedia(client, endpoint):
    for r in (post(client, service_query(endpoint)), client.get("/sparql", query_string={"query": service_query(endpoint)})):
        assert r.status_code == 403
        assert endpoint in r.get_data(as_text=True) and "not allowed" in r.get_data(as_text=True)


def test_on_refuses_a_host_not_on_the_allow_list(make_app_client, federated_endpoint):
    client = make_app_client(SPARQL_FEDERATION=True, SPARQL_FEDERATION_ALLOW=(federated_endpoint,),
                             SPARQL_FEDERATION_ALLOW_PRIVATE=True)
    for other in ("http://example.org/sparql", WIKIDATA, federated_endpoint.replace("/query", "/other"),
                  federated_endpoint + "?x=1"):
        r = post(client, service_query(other))
        assert r.status_code == 403, other
        assert "not allowed" in r.get_data(as_text=True)
    # a SERVICE whose endpoint is a variable cannot be checked: refused
    r = post(client, "SELECT * WHERE { VALUES ?e { <%s> } SERVICE ?e { ?s ?p ?o } }" % federated_endpoint)
    assert r.status_code == 403


def test_on_the_default_allow_list_passes_the_checker(make_app_client):
    """With federation on, SERVICE to Wikidata or DBpedia passes the check that runs before a query (checked
    here without running the query, so nothing is sent to them)."""
    from r2pkg.graph import sparql
    from r2pkg.webapp.querying import allowed_services

    app = make_app_client(SPARQL_FEDERATION=True).application
    allowed = allowed_services(app.config)
    assert set(allowed) == {WIKIDATA, DBPEDIA}
    for endpoint in (WIKIDATA, DBPEDIA):
        assert sparql.check_query(service_query(endpoint)).services == (endpoint,)
        assert set(sparql.check_query(service_query(endpoint)).services) <= set(allowed)
    # written with a prefix, the endpoint is still read as the listed IRI
    prefixed = "PREFIX wds: <https://query.wikidata.org/> SELECT * WHERE { SERVICE wds:sparql { ?s ?p ?o } }"
    assert sparql.check_query(prefixed).services == (WIKIDATA,)
    with pytest.raises(sparql.QueryRefused):
        sparql._refuse_services(sparql.check_query(service_query("http://example.org/sparql")), allowed)
    assert allowed_services(make_app_client().application.config) == ()


def test_on_a_listed_endpoint_answers_and_joins_with_the_graph(make_app_client, federated_endpoint):
    client = make_app_client(SPARQL_FEDERATION=True, SPARQL_FEDERATION_ALLOW=(federated_endpoint,),
                             SPARQL_FEDERATION_ALLOW_PRIVATE=True)
    r = post(client, service_query(federated_endpoint))
    assert r.status_code == 200, r.get_data(as_text=True)
    rows = r.get_json()["results"]["bindings"]
    assert [(b["wd"]["value"], b["label"]["value"]) for b in rows] == [
        ("http://www.wikidata.org/entity/Q29", "Spain (federated fixture)")]
    # the same endpoint is refused again when federation is switched off
    off = make_app_client(SPARQL_FEDERATION_ALLOW=(federated_endpoint,), SPARQL_FEDERATION_ALLOW_PRIVATE=True)
    assert post(off, service_query(federated_endpoint)).status_code == 403


def test_on_a_listed_endpoint_on_loopback_is_refused_outside_tests(make_app_client, federated_endpoint):
    """A listed endpoint on a loopback or private address is still refused unless the test-only setting says so."""
    client = make_app_client(SPARQL_FEDERATION=True, SPARQL_FEDERATION_ALLOW=(federated_endpoint,))
    r = post(client, service_query(federated_endpoint))
    assert r.status_code == 403 and "not allowed" in r.get_data(as_text=True)


def test_allow_list_may_be_given_as_text():
    from r2pkg.webapp.querying import allowed_services

    config = {"SPARQL_FEDERATION": True, "SPARQL_FEDERATION_ALLOW": f"{WIKIDATA}, {DBPEDIA}"}
    assert allowed_services(config) == (WIKIDATA, DBPEDIA)
