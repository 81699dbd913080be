"""Hostile text renders inert on every page that shows it, in real Chromium, map tooltips included.

tests/fixtures/hostile/ holds a summary whose sentences, recommendations and manifest metadata carry `<script>`,
quote-breaking attributes (`" onmouseover="alert(1)`), `<img onerror>`, `<svg onload>` and `javascript:` links; it is
built beside one bundled summary and served. On each page: no dialog opens, no element carries an event-handler
attribute, no link has a `javascript:` href, and the hostile text is visible as text (so the page did show it).
"""
from __future__ import annotations

import shutil
from urllib.parse import quote

import pytest

from r2pkg.graph.resources import CORPUS_DIR
from servers import app_in_thread

pytestmark = pytest.mark.browser

HOSTILE = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
MEETING = "https://w3id.org/r2pkg/id/meeting/annual-meeting-10"
JS_IRI = "javascript:alert('xss-yasr-iri')"
HANDLERS = "[onmouseover],[onerror],[onload],[onfocus],[onclick],[autofocus]"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from r2pkg.graph.build import build
    from r2pkg.webapp import create_app

    corpus = tmp_path_factory.mktemp("hostile-corpus")
    for f in HOSTILE.iterdir():
        shutil.copy(f, corpus / f.name)
    shutil.copy(CORPUS_DIR / "2019-9th-annual-meeting-brussels.txt", corpus)
    data = tmp_path_factory.mktemp("hostile-data")
    report = build([corpus], data)
    assert len(report.documents) == 2, report.errors
    app = create_app({"DATA_DIR": str(data), "SPARQL_TIMEOUT": 5.0})
    with app_in_thread(app, threads=6) as base:
        yield base


@pytest.fixture
def hostile_page(browser, hostile_server):
    yield from guarded_page(browser, hostile_server)


def guarded_page(browser, base_url: str):
    """A page of `base_url` that records dialogs and policy violations, reaches no other host, and fails its test
    when a dialog opened."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []
    violations: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    pg.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    pg.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort())
    pg.set_default_timeout(10000)
    pg.dialogs = dialogs
    pg.violations = violations
    yield pg
    context.close()
    assert not dialogs, f"a script ran: {dialogs}"


def assert_inert(page, *visible: str) -> None:
    """Nothing ran, nothing can run on hover/focus, and the hostile text is there as text."""
    for el in page.locator("a.mention, .sentence, td, li, h1, p").all()[:30]:
        try:
            el.hover(timeout=500)
        except Exception:
            pass
    page.wait_for_timeout(200)
    assert page.dialogs == []
    assert page.locator(HANDLERS).count() == 0, page.locator(HANDLERS).first.evaluate("e => e.outerHTML")
    assert page.locator("a[href^='javascript:' i]").count() == 0
    assert page.evaluate("() => document.querySelectorAll('script:not([src]):not([type=\"application/json\"])').length") == 0
    text = page.locator("body").inner_text()
    for fragment in visible:
        assert fragment in text, f"{fragment!r} is not shown on {page.url}"


@pytest.mark.parametrize("path,visible", [
    ("/", []),
    ("/search?q=alert", ['alert("xss-sentence")']),
    ("/search?q=" + quote('<script>alert("xss-q")</script>" onmouseover="alert(1)'), ['alert("xss-q")']),
    ("/page/meeting/annual-meeting-10", []),
    ("/page/recommendation/annual-meeting-10-appoint-an-r2p-focal-point-script-50cbed92", ['<script>alert("xss-rec")</script>']),
    ("/page/recommendation/annual-meeting-10-share-national-practices-onfocus-alert-xss-290ee2bc", ["onfocus=\"alert('xss-rec2')\""]),
    ("/page/state/spain", []),
    ("/page/state/ghana", []),
    ("/document/hostile-meeting", ['<script>alert("xss-sentence")</script>', "javascript:alert('xss-js')",
                                   "<img src=x onerror=alert('xss-img')>"]),
    ("/queries/meeting-recommendations?ordinal=10", ['<script>alert("xss-rec")</script>']),
    ("/queries/fact-evidence?subject=" + quote(MEETING), []),
    ("/queries/fact-evidence?subject=" + quote("javascript:alert('xss-param')"), []),
    ("/page/" + quote('<script>alert("xss-404")</script>'), []),
    ("/document/" + quote("\" onmouseover=\"alert('xss-404-doc')"), []),
])
def test_hostile_text_is_inert(hostile_page, path, visible):
    hostile_page.goto(path)
    hostile_page.wait_for_load_state("networkidle")
    assert_inert(hostile_page, *visible)


def test_the_manifest_title_is_inert(hostile_page):
    hostile_page.goto("/document/hostile-meeting")
    assert 'alert("xss-manifest")' in hostile_page.locator("body").inner_text() + hostile_page.title()
    assert_inert(hostile_page)


def test_suggestions_are_inert(hostile_page):
    hostile_page.goto("/search")
    box = hostile_page.locator("input[data-suggest]").first
    box.click()
    box.type("<script>alert(1)</script> Tenth", delay=10)
    hostile_page.wait_for_timeout(600)
    box.fill("")
    box.type("Tenth", delay=20)
    hostile_page.locator(".suggestions-list li").first.wait_for()
    assert_inert(hostile_page)


def test_sparql_results_in_yasgui_are_inert(hostile_page):
    hostile_page.goto("/sparql")
    hostile_page.locator(".CodeMirror").first.wait_for()
    query = ("PREFIX r2p: <https://w3id.org/r2pkg/ontology#> SELECT ?text ?link ?html WHERE { ?r r2p:text ?text "
             f"BIND(IRI(\"{JS_IRI}\") AS ?link) BIND(\"<img src=x onerror=alert('xss-yasr')>\" AS ?html) }} LIMIT 20")
    hostile_page.evaluate("q => window.r2pkgYasgui.getTab().getYasqe().setValue(q)", query)
    hostile_page.locator(".yasqe_queryButton").click()
    hostile_page.locator(".yasr table.dataTable").wait_for()
    hostile_page.wait_for_timeout(500)
    text = hostile_page.locator(".yasr").inner_text()
    assert "<img src=x onerror=alert('xss-yasr')>" in text and 'alert("xss-rec")' in text
    assert hostile_page.locator(".yasr " + HANDLERS.replace(",", ",.yasr ")).count() == 0
    assert hostile_page.locator(".yasr img").count() == 0 and hostile_page.locator(".yasr script").count() == 0
    # YASR may link an IRI as it is; clicking the javascript: IRI must not run it (the policy forbids it)
    links = hostile_page.locator(".yasr a[href^='javascript:' i]")
    if links.count():
        links.first.click()
        hostile_page.wait_for_timeout(300)
    assert hostile_page.dialogs == []


def test_every_page_sends_the_policy(hostile_server):
    import requests

    for path in ("/", "/sparql", "/search?q=x", "/document/hostile-meeting", "/page/meeting/annual-meeting-10",
                 "/queries", "/nowhere"):
        r = requests.get(hostile_server + path, headers={"Accept": "text/html"}, timeout=30)
        policy = r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert "unsafe-eval" not in policy and "frame-ancestors 'none'" in policy
        assert r.headers["X-Content-Type-Options"] == "nosniff" and r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["Referrer-Policy"] and r.headers["Permissions-Policy"]


# A member state and a city in it whose labels are markup, with coordinates, so both are drawn on maps.
MAP_IMG = "<img src=x onerror=alert('xss-map-state')>"
MAP_SVG = "<svg onload=alert('xss-map-city')><b onmouseover=alert(1)>city</b></svg>"
HOSTILE_PLACES = f"""
@prefix r2p: <https://w3id.org/r2pkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
<https://w3id.org/r2pkg/graph/external> {{
  <https://w3id.org/r2pkg/id/state/hostile-land> a r2p:State, r2p:NetworkMember ;
      skos:prefLabel "{MAP_IMG}"@en ; geo:lat 10.5 ; geo:long 20.5 ; r2p:iso3166Numeric "724" .
  <https://w3id.org/r2pkg/id/city/hostile-city> a r2p:City ; r2p:cityOf <https://w3id.org/r2pkg/id/state/hostile-land> ;
      skos:prefLabel "{MAP_SVG}"@en ; geo:lat 12.5 ; geo:long 24.5 .
}}
"""


@pytest.fixture(scope="module")
def hostile_map_server(tmp_path_factory, make_fixture_build):
    from r2pkg.webapp import create_app

    data = make_fixture_build(tmp_path_factory.mktemp("hostile-map"), HOSTILE_PLACES)
    app = create_app({"DATA_DIR": str(data), "REQUEST_LOG": False})
    with app_in_thread(app, threads=4) as base:
        yield base


@pytest.fixture
def hostile_map_page(browser, hostile_map_server):
    yield from guarded_page(browser, hostile_map_server)


@pytest.mark.parametrize("path, labels", [("/page/state/hostile-land", [MAP_IMG, MAP_SVG]), ("/", [MAP_IMG])])
def test_map_tooltips_show_labels_as_text(hostile_map_page, path, labels):
    """The state page's map has the state (its tooltip always open) and the city in it; the home page's map the
    state as a member. Each marker is hovered, so every tooltip is drawn."""
    pg = hostile_map_page
    pg.goto(path)
    pg.locator(".map-canvas[data-ready=true]").first.wait_for()
    shown: set[str] = set()
    for marker in pg.locator(".map-point[data-iri*='/hostile-']").all():
        marker.hover(force=True)
        pg.wait_for_timeout(300)
        shown.update(pg.locator(".leaflet-tooltip").all_inner_texts())
        assert pg.locator(".leaflet-container img, .leaflet-container b, .leaflet-tooltip svg").count() == 0
        assert pg.locator(".leaflet-container " + HANDLERS.replace(",", ",.leaflet-container ")).count() == 0
    assert set(labels) <= shown, shown
    assert pg.dialogs == []
