"""BASE_URL: with it set, no absolute URL the app writes follows a forged Host header; VoID, the OpenAPI servers and
redirects start with it. Without it, redirects stay relative, so a Host header is still never written back there."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

BASE = "https://r2p.example.org"
EVIL = {"Host": "evil.example"}
PAGES = ("/", "/page/state/spain", "/document/2015-5th-annual-meeting-madrid", "/sparql", "/queries",
         "/queries/meetings", "/search?q=spain", "/ontology", "/dumps", "/nowhere", "/api/queries/meetings",
         "/data/state/spain.ttl", "/search/suggest?q=sp")


@pytest.fixture(scope="module")
def based(make_app_client):
    return make_app_client(BASE_URL=BASE)


def void_of(response) -> set[str]:
    """Every IRI of the VoID description (it must parse as Turtle)."""
    quads = ox.parse(response.get_data(), format=ox.RdfFormat.TURTLE)
    return {t.value for q in quads for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}


def test_void_uses_the_base_url_whatever_the_host_header(based):
    iris = void_of(based.get("/dumps/void.ttl", headers=EVIL))
    assert {f"{BASE}/dumps/void.ttl#dataset", f"{BASE}/sparql", f"{BASE}/", f"{BASE}/dumps/graph.trig"} <= iris
    assert not [i for i in iris if "evil.example" in i]


def test_openapi_servers_use_the_base_url(based):
    assert based.get("/api/openapi.json", headers=EVIL).get_json()["servers"] == [{"url": BASE}]


@pytest.mark.parametrize("accept, location", [
    ("text/html", f"{BASE}/page/state/spain"),
    ("text/turtle", f"{BASE}/data/state/spain.ttl"),
    ("application/ld+json", f"{BASE}/data/state/spain.jsonld"),
])
def test_a_303_points_under_the_base_url(based, accept, location):
    r = based.get("/id/state/spain", headers={**EVIL, "Accept": accept})
    assert r.status_code == 303 and r.headers["Location"] == location


def test_the_document_redirect_points_under_the_base_url(based):
    r = based.get("/page/document/2015-5th-annual-meeting-madrid", headers=EVIL)
    assert r.status_code == 302 and r.headers["Location"] == f"{BASE}/document/2015-5th-annual-meeting-madrid"


@pytest.mark.parametrize("path", PAGES)
def test_no_page_or_header_writes_the_forged_host(based, path):
    r = based.get(path, headers={**EVIL, "Accept": "text/html"})
    assert r.status_code < 500
    assert "evil.example" not in r.get_data(as_text=True)
    assert not [v for _, v in r.headers.items() if "evil.example" in v]


def test_a_base_url_with_a_path_prefixes_links_too(make_app_client):
    c = make_app_client(BASE_URL="https://example.org/r2pkg/")
    assert "https://example.org/r2pkg/sparql" in void_of(c.get("/dumps/void.ttl", headers=EVIL))
    assert c.get("/id/state/spain", headers={**EVIL, "Accept": "text/html"}).headers["Location"] == \
        "https://example.org/r2pkg/page/state/spain"
    html = c.get("/page/state/spain").get_data(as_text=True)
    assert 'href="/r2pkg/static/app.css"' in html and 'href="/r2pkg/page/' in html


def test_without_a_base_url_redirects_stay_relative(client):
    r = client.get("/id/state/spain", headers={**EVIL, "Accept": "text/html"})
    assert r.status_code == 303 and r.headers["Location"] == "/page/state/spain"


@pytest.mark.parametrize("bad", ["r2p.example.org", "ftp://r2p.example.org", "https://", "https://x.org/?a=1",
                                 "https://x.org/#top", "https://x.org/a b"])
def test_a_malformed_base_url_stops_the_app_at_start(make_app_client, bad):
    with pytest.raises(ValueError, match="BASE_URL must be an http"):
        make_app_client(BASE_URL=bad)
