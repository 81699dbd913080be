"""Entity IRIs: 303 content negotiation, pages with facts, evidence, inferred marks, data formats."""
from __future__ import annotations

import re

import pytest
import rdflib

SPAIN = "https://w3id.org/r2pkg/id/state/spain"


@pytest.mark.parametrize("accept,location", [
    ("text/html", "/page/state/spain"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "/page/state/spain"),
    ("text/turtle", "/data/state/spain.ttl"),
    ("application/ld+json", "/data/state/spain.jsonld"),
    ("application/n-triples", "/data/state/spain.nt"),
    ("application/rdf+xml", "/data/state/spain.rdf"),
])
def test_iri_path_303_by_accept(client, accept, location):
    r = client.get("/id/state/spain", headers={"Accept": accept})
    assert r.status_code == 303 and r.headers["Location"].endswith(location)
    assert "Accept" in r.headers["Vary"]


def test_iri_path_not_acceptable(client):
    assert client.get("/id/state/spain", headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize("path,fmt,media", [
    ("/data/state/spain.ttl", "turtle", "text/turtle"), ("/data/state/spain.jsonld", "json-ld", "application/ld+json"),
    ("/data/state/spain.nt", "nt", "application/n-triples"), ("/data/state/spain.rdf", "xml", "application/rdf+xml"),
    ("/id/state/spain.ttl", "turtle", "text/turtle"), ("/id/state/spain.jsonld", "json-ld", "application/ld+json"),
])
def test_data_formats(client, path, fmt, media):
    r = client.get(path)
    assert r.status_code == 200 and r.mimetype == media
    g = rdflib.Graph().parse(data=r.data, format=fmt)
    s = rdflib.URIRef(SPAIN)
    assert (s, rdflib.RDFS.label, rdflib.Literal("Spain", lang="en")) in g
    assert (rdflib.URIRef("https://w3id.org/r2pkg/id/city/madrid"), None, s) in g   # incoming too


def test_follow_the_redirect_to_the_page(client):
    r = client.get("/id/state/spain", headers={"Accept": "text/html"}, follow_redirects=True)
    assert r.status_code == 200 and "<h1>Spain</h1>" in r.get_data(as_text=True)


def test_entity_page_content(client):
    html = client.get("/page/state/spain").get_data(as_text=True)
    # types linked to the ontology page, alternative label, external links
    assert 'href="/ontology#State"' in html and "Kingdom of Spain" in html
    assert 'href="http://www.wikidata.org/entity/Q29"' in html
    # facts grouped by property, human labels from the ontology
    assert ">has focal point<" in html and "R2P Focal Point of Spain" in html
    # evidence sentence, linking to its place in the document
    assert "Spain has appointed an R2P Focal Point." in html
    assert 'href="/document/2015-5th-annual-meeting-madrid#char=' in html
    # inferred facts marked; an inferred super-property of an asserted fact is folded into it, not a row of its own
    assert 'class="badge inferred"' in html
    assert ">participated in<" not in html
    assert re.search(r'<td class="fact statement" title="Also stated as: [^"]*participated in', html)
    # neighbourhood graph data and the vendored library
    assert 'id="neighbourhood-graph"' in html and "vis-network.min.js" in html
    assert '"https://w3id.org/r2pkg/id/meeting/5th-annual-meeting"' in html


def test_meeting_page_has_dates_read_naturally(client):
    html = client.get("/page/meeting/5th-annual-meeting").get_data(as_text=True)
    assert "23 June 2015" in html and ">hosted by<" in html and "Chile" in html
    assert "“On 23 and 24 June 2015 in Madrid" in html


def test_description_and_person(client):
    html = client.get("/page/person/jennifer-welsh").get_data(as_text=True)
    assert "UN Special Adviser on the Responsibility to Protect (2013-2016)." in html
    assert "Mentioned in" in html


def test_unknown_entity_is_a_helpful_404(client):
    r = client.get("/page/state/spainn")
    html = r.get_data(as_text=True)
    assert r.status_code == 404 and "Did you mean" in html and "/page/state/spain" in html
    assert client.get("/id/state/atlantis", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get("/data/state/atlantis.ttl").status_code == 404
    assert client.get("/data/state/spain").status_code == 404
    r = client.get("/id/state/atlantis", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.get_json()["status"] == 404


def test_document_iri_resolves_to_the_document_page(client):
    r = client.get("/id/document/2015-5th-annual-meeting-madrid", headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/document/2015-5th-annual-meeting-madrid")
    r = client.get("/page/document/2015-5th-annual-meeting-madrid")
    assert r.status_code == 302


def test_type_badges_read_once_each(make_app_client, built_data_dir):
    """Denmark is an r2p:Agent, a foaf:Agent and a prov:Agent; a reader sees 'Agent' once."""
    import re

    client = make_app_client(DATA_DIR=str(built_data_dir), QUERIES_DIR=None)
    html = client.get("/page/state/denmark").get_data(as_text=True)
    badges = re.findall(r'<a class="type"[^>]*>([^<]+)</a>', html)
    assert "State" in badges and "Agent" in badges
    assert len(badges) == len(set(badges))


@pytest.mark.parametrize("record_class", ["Evidence", "Mention"])
def test_an_evidence_records_page_names_its_class(make_app_client, built_data_dir, record_class):
    """The app keeps the entities' types in memory, not the records' (nineteen typed nodes in twenty): a record's own
    page still reads its class from the store. (A sentence is a place in its document's page, not a page.)"""
    client = make_app_client(DATA_DIR=str(built_data_dir), QUERIES_DIR=None)
    query = f"SELECT ?r WHERE {{ ?r a <https://w3id.org/r2pkg/ontology#{record_class}> }} ORDER BY ?r LIMIT 1"
    record = client.get("/sparql", query_string={"query": query, "format": "json"}).get_json()
    iri = record["results"]["bindings"][0]["r"]["value"]
    html = client.get("/page/" + iri.split("/id/", 1)[1].replace("#", "%23")).get_data(as_text=True)
    badges = re.findall(r'<a class="type"[^>]*>([^<]+)</a>', html)
    assert record_class in badges


def test_a_built_graphs_facts_keep_their_provenance(make_app_client, built_data_dir):
    """A build also writes every triple into the default graph (the merge); the page still tells
    inferred facts apart and never names the default graph as a source."""
    client = make_app_client(DATA_DIR=str(built_data_dir), QUERIES_DIR=None)
    html = client.get("/page/state/denmark").get_data(as_text=True)
    assert 'class="badge inferred"' in html
    assert 'badge source">default<' not in html


def test_the_eu_page_shows_the_meeting_hosted_by_its_part(make_app_client, built_data_dir):
    """The EEAS, a part of the EU, co-hosted the ninth meeting: the EU's page says the meeting was hosted
    within it (r2p:hostedWithin, inferred from hostedBy and partOf; issue 12)."""
    import re

    client = make_app_client(DATA_DIR=str(built_data_dir), QUERIES_DIR=None)
    html = client.get("/page/org/european-union").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert re.search(r"hosted within Ninth Annual Meeting of the Global Network of R2P Focal Points inferred", text)


def test_the_global_centre_page_shows_partnership_and_its_role(make_app_client, built_data_dir):
    """The Global Centre's page: a partner of meetings it did not host, and a role it holds as an organization."""
    import re

    client = make_app_client(DATA_DIR=str(built_data_dir), QUERIES_DIR=None)
    html = client.get("/page/org/global-centre-for-the-responsibility-to-protect").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "in association with" in text
    assert "held by organization" in text
