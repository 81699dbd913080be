"""The SPARQL editor as a person uses it: errors, time-outs and cut answers are shown; the query
survives a reload and travels in links; completion never asks an outside service."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from servers import app_in_thread

pytestmark = pytest.mark.browser

EDITOR = "() => window.r2pkgYasgui.getTab().getYasqe()"
MAX_ROWS = 100


@pytest.fixture(scope="module")
def live_server(web_data_dir, web_queries_dir):
    """The app with a row limit the fixture graph (about 1,000 triples) can exceed, and a short time limit."""
    from r2pkg.webapp import create_app

    app = create_app({"DATA_DIR": str(web_data_dir), "QUERIES_DIR": str(web_queries_dir), "SPARQL_TIMEOUT": 1.0,
                      "SPARQL_MAX_ROWS": MAX_ROWS, "SPARQL_CLIENT_QUERY_TIME": 3600.0,
                      "SPARQL_CLIENT_CONCURRENCY": 16})
    with app_in_thread(app, threads=4, name="r2pkg-editor-test-server") as base:
        yield base


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


def test_a_shared_link_shows_and_runs_its_query(page, live_server):
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.method) if r.url == live_server + "/sparql" else None)
    shared = "SELECT ?meeting WHERE { ?meeting r2p:ordinal 5 }"
    page.goto("/sparql?query=" + quote(shared))
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible()
    assert _value(page) == shared
    expect(page.locator(".yasr table.dataTable")).to_contain_text("5th-annual-meeting")
    # once: a second run cut the first short, and the editor said "Error: signal is aborted"
    assert sent == ["POST"]
    expect(page.locator("#sparql-notice")).to_be_hidden()


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


def test_each_tab_puts_its_own_query_in_the_link(page):
    page.goto("/sparql")
    _set_query(page, "ASK { ?x r2p:ordinal 1 }")
    page.wait_for_function("() => new URL(location.href).searchParams.get('query') === 'ASK { ?x r2p:ordinal 1 }'")
    page.get_by_role("button", name="Add a new tab").click()
    expect(page.get_by_role("tab")).to_have_count(2)
    _set_query(page, "ASK { ?x r2p:ordinal 2 }")
    page.wait_for_function("() => new URL(location.href).searchParams.get('query') === 'ASK { ?x r2p:ordinal 2 }'")
    page.get_by_role("tab").first.click()
    page.wait_for_function("() => new URL(location.href).searchParams.get('query') === 'ASK { ?x r2p:ordinal 1 }'")


def test_the_query_is_a_named_text_box_the_keyboard_reaches(page):
    page.goto("/sparql")
    box = page.get_by_role("textbox", name="SPARQL query")
    box.focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("ASK {}")
    assert _value(page) == "ASK {}"


# Twelve columns of IRIs: wider than a phone and than a laptop's screen.
WIDE = ("SELECT * WHERE { ?s ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 "
        "BIND(?s AS ?s_again) BIND(?o AS ?o_again) BIND(?o2 AS ?o2_again) BIND(?o3 AS ?o3_again) "
        "BIND(?p AS ?p_again) BIND(?p2 AS ?p2_again) } LIMIT 20")


@pytest.mark.parametrize("width", [390, 1280])
def test_wide_results_scroll_inside_their_own_box_not_the_page(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/sparql?query=" + quote(WIDE))
    box = page.get_by_role("region", name="Query results")
    expect(box.locator("table.dataTable")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert box.evaluate("(b) => b.scrollWidth > b.clientWidth")      # the rows are wider than their box...
    box.focus()                                                       # ...and the keyboard scrolls it
    page.keyboard.press("ArrowRight")
    expect(box).to_be_focused()
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")


def test_the_editor_and_its_menus_fit_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/sparql")
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Open settings").click()
    expect(page.locator(".tabMenu.open")).to_be_visible()
    page.wait_for_timeout(600)                                       # the menu's opening transition
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Close settings").click()
    page.locator(".yasqe_share").click()
    expect(page.locator(".yasqe_sharePopup")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
