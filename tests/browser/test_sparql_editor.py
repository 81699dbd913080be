"""The SPARQL editor as a person uses it: errors, time-outs and cut answers are shown; the query
survives a reload and travels in links; completion never asks an outside service."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EDITOR = "() => window.r2pkgYasgui.getTab().getYasqe()"
MAX_ROWS = 100


@pytest.fixture(scope="module")
def live_server(web_data_dir, web_queries_dir):
    """The app with a row limit the fixture graph (about 1,000 triples) can exceed, and a short time limit."""
    import threading

    import waitress

    from r2pkg.webapp import create_app

    app = create_app({"DATA_DIR": str(web_data_dir), "QUERIES_DIR": str(web_queries_dir), "SPARQL_TIMEOUT": 1.0,
                      "SPARQL_MAX_ROWS": MAX_ROWS, "SPARQL_CLIENT_QUERY_TIME": 3600.0,
                      "SPARQL_CLIENT_CONCURRENCY": 16})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, name="r2pkg-editor-test-server", daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


def _set_query(page, text: str) -> None:
    page.evaluate(f"(text) => ({EDITOR})().setValue(text)", text)


def _run(page) -> None:
    page.locator(".yasqe_queryButton").click()


def _value(page) -> str:
    return page.evaluate(f"() => ({EDITOR})().getValue()")


def test_an_undeclared_prefix_is_named_in_the_editor(page):
    page.goto("/sparql")
    _set_query(page, "SELECT ?s WHERE { ?s ex:worksFor ?o }")
    _run(page)
    expect(page.locator("#sparql-notice")).to_contain_text("undeclared prefix ex")
    expect(page.locator(".yasr")).to_contain_text("undeclared prefix ex")


def test_project_prefixes_are_predeclared(page):
    page.goto("/sparql")
    _set_query(page, "SELECT ?m ?o WHERE { ?m r2p:ordinal ?o } ORDER BY ?o")
    _run(page)
    expect(page.locator(".yasr table.dataTable")).to_contain_text("7th-annual-meeting")
    expect(page.locator("#sparql-notice")).to_be_hidden()


def test_a_time_out_is_shown(page):
    page.goto("/sparql")
    _set_query(page, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    _run(page)
    expect(page.locator("#sparql-notice")).to_contain_text("Timed out", timeout=15000)


def test_a_cut_answer_is_flagged(page, live_server):
    page.goto("/sparql")
    _set_query(page, f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS + 5}")
    _run(page)
    expect(page.locator("#sparql-notice")).to_contain_text("Truncated")


def test_a_shared_link_shows_and_runs_its_query(page):
    shared = "SELECT ?meeting WHERE { ?meeting r2p:ordinal 5 }"
    page.goto("/sparql?query=" + quote(shared))
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible()
    assert _value(page) == shared
    expect(page.locator(".yasr table.dataTable")).to_contain_text("5th-annual-meeting")


def test_a_typed_query_survives_a_reload_and_is_in_the_link(page):
    page.goto("/sparql")
    typed = "SELECT ?label WHERE { ?x skos:prefLabel ?label } LIMIT 3"
    _set_query(page, typed)
    page.wait_for_function("() => location.search.includes('query=')")
    assert typed in page.evaluate("() => new URL(location.href).searchParams.get('query')")
    page.reload()
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible()
    assert _value(page) == typed
    page.goto("/sparql")            # the menu's plain link: the last query, from local storage
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible()
    assert _value(page) == typed


def test_class_completion_comes_from_our_vocabulary(page, live_server):
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto("/sparql")
    _set_query(page, "SELECT ?x WHERE { ?x a ")
    page.locator(".yasqe .CodeMirror").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("r2p:Sta")
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints")
    expect(hints).to_contain_text("r2p:State")
    assert any(url.endswith("/sparql/vocabulary.json") for url in asked)
    assert all(url.startswith(live_server) or url.startswith("data:") for url in asked), asked


def test_run_the_text_on_the_endpoint_opens_the_editor(page):
    page.goto("/queries/meetings")
    with page.expect_navigation():
        page.get_by_role("link", name="Run the text on the endpoint").click()
    assert re.search(r"/sparql\?query=", page.url)
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible()
    assert "SELECT" in _value(page)
    expect(page.locator(".yasr table.dataTable")).to_be_visible()
