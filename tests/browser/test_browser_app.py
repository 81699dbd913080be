"""The web app in real headless Chromium: home, search, saved queries, entity pages, YASGUI, negotiation."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_home_page(page, artifacts):
    page.goto("/")
    expect(page.locator("h1")).to_contain_text("Global Network of R2P Focal Points")
    expect(page.locator("#timeline")).to_contain_text("Fifth annual meeting (Madrid, 2015)")
    expect(page.locator("svg.chart circle.states")).to_have_count(2)
    expect(page.locator("#members")).to_contain_text("Qatar")
    page.screenshot(path=str(artifacts / "home.png"), full_page=True)


def test_search_and_follow_a_suggestion(page, artifacts):
    page.goto("/")
    box = page.locator("#home-search")
    box.click()
    box.type("qat", delay=40)
    suggestion = page.locator(".suggestions-list li", has_text="Qatar").first
    expect(suggestion).to_be_visible()
    page.screenshot(path=str(artifacts / "search-suggestions.png"))
    suggestion.click()
    page.wait_for_url(re.compile(r"/page/state/qatar$"))
    expect(page.locator("h1")).to_have_text("Qatar")


def test_search_results_page(page, artifacts):
    page.goto("/search?q=focal+point")
    expect(page.locator("li.hit.sentence").first).to_be_visible()
    page.screenshot(path=str(artifacts / "search.png"), full_page=True)
    page.locator("li.hit.sentence a").first.click()
    page.wait_for_url(re.compile(r"/document/.+#char=\d+,\d+$"))
    expect(page.locator(".sentence.target")).to_have_count(1)


def test_saved_query_with_a_parameter_then_entity_and_evidence(page, artifacts):
    page.goto("/queries")
    page.get_by_role("link", name="Meetings hosted by a state or organization").click()
    field = page.locator("#param-host")
    field.fill("")
    field.type("Qat", delay=40)
    page.locator(".suggestions-list li", has_text="Qatar").first.click()
    expect(field).to_have_value("https://w3id.org/r2pkg/id/state/qatar")
    page.locator("#run-query").click()
    page.wait_for_url(re.compile(r"host=https%3A%2F%2Fw3id\.org%2Fr2pkg%2Fid%2Fstate%2Fqatar"))
    table = page.locator("#results table.results")
    expect(table).to_contain_text("Seventh annual meeting (Doha, 2017)")
    expect(table).to_contain_text("24 April 2017")
    page.screenshot(path=str(artifacts / "saved-query.png"), full_page=True)
    table.get_by_role("link", name="Seventh annual meeting (Doha, 2017)").click()
    page.wait_for_url(re.compile(r"/page/meeting/7th-annual-meeting$"))
    evidence = page.locator("blockquote.evidence").first
    expect(evidence).to_be_visible()
    expect(page.locator(".badge.inferred").first).to_be_visible()
    page.wait_for_selector("#neighbourhood-graph[data-ready=true] canvas")
    page.screenshot(path=str(artifacts / "entity.png"), full_page=True)
    evidence.locator("a.evidence-link").click()
    page.wait_for_url(re.compile(r"/document/2017-7th-annual-meeting-doha#char=\d+,\d+$"))
    target = page.locator(".sentence.target")
    expect(target).to_have_count(1)
    expect(page.locator("a.mention", has_text="Doha").first).to_be_visible()
    page.screenshot(path=str(artifacts / "document.png"), full_page=True)


def test_yasgui_runs_a_query(page, artifacts):
    page.goto("/sparql")
    editor = page.locator(".yasqe .CodeMirror")
    expect(editor).to_be_visible()
    assert "PREFIX r2p:" in page.evaluate("() => window.r2pkgYasgui.getTab().getYasqe().getValue()")
    page.evaluate("""() => window.r2pkgYasgui.getTab().getYasqe().setValue(
        'PREFIX r2p: <https://w3id.org/r2pkg/ontology#>\\nSELECT ?meeting ?ordinal WHERE { ?meeting r2p:ordinal ?ordinal } ORDER BY ?ordinal')""")
    editor.click()
    page.locator(".yasqe_queryButton").click()
    table = page.locator(".yasr table.dataTable")
    expect(table).to_be_visible()
    expect(table).to_contain_text("7th-annual-meeting")
    page.screenshot(path=str(artifacts / "sparql.png"), full_page=True)
    # an entity IRI in the results opens this app's page, not the outside IRI
    link = table.locator("a", has_text="7th-annual-meeting").first
    assert link.get_attribute("href").startswith("/id/meeting/")
    link.click()
    page.wait_for_url(re.compile(r"/page/meeting/"))


def test_yasgui_example_button(page):
    page.goto("/sparql")
    page.locator("button.example").first.click()
    expect(page.locator(".yasr table.dataTable")).to_contain_text("5th-annual-meeting")


def test_content_negotiation_of_an_entity_iri(page, live_server):
    response = page.request.get(live_server + "/id/state/spain", headers={"Accept": "text/turtle"}, max_redirects=0)
    assert response.status == 303 and response.headers["location"].endswith("/data/state/spain.ttl")
    assert "accept" in response.headers["vary"].lower()
    data = page.request.get(live_server + "/id/state/spain", headers={"Accept": "application/ld+json"})
    assert data.ok and data.headers["content-type"].startswith("application/ld+json")
    page.goto("/id/state/spain")     # a browser asks for HTML
    assert page.url.endswith("/page/state/spain")
    expect(page.locator("h1")).to_have_text("Spain")


def test_ontology_page(page, artifacts):
    page.goto("/ontology#State")
    expect(page.locator("#State")).to_contain_text("A sovereign state")
    page.screenshot(path=str(artifacts / "ontology.png"))
