"""A crawl of the bundled build as a reader's browser sees it: every same-origin link from the home page.

Every URL answers without a 4xx/5xx and every #char= link lands on an anchor of the document page (over
HTTP, all of them); in Chromium, pages log no console error and fit a 390 px phone and a 1280 px screen
without scrolling sideways (every page type, up to BROWSER_PAGES_PER_TYPE pages of each: about 330 of the
1,089 pages, 65 s; all of them took 140 s on a quiet machine, and found nothing more); one page of each type passes axe-core (vendored in
tests/browser/vendor) with no serious or critical violation. The same server makes the README's screenshots
(docs/screenshots/, rewritten with R2PKG_UPDATE_SCREENSHOTS=1).
"""
from __future__ import annotations

import os
import re
import time
from collections import deque
from pathlib import Path
from urllib.parse import quote, urldefrag, urljoin, urlsplit

import pytest
import requests

from pageguard import only_local_requests
from r2pkg.graph.resources import QUERIES_DIR
from servers import app_in_thread

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# The README's screenshots are rewritten when R2PKG_UPDATE_SCREENSHOTS=1; other runs make them in test-artifacts/
# (so that a test run leaves the working tree as it found it).
SCREENSHOTS = Path(__file__).resolve().parents[2] / ("docs/screenshots" if os.environ.get("R2PKG_UPDATE_SCREENSHOTS")
                                                     else "test-artifacts/screenshots")
WIDTHS = (390, 1280)
# Downloads and machine answers: fetched for their status, never opened in the browser.
DATA_SUFFIX = re.compile(r"\.(ttl|jsonld|nt|rdf|nq|trig|csv|tsv|json|xml|gz|zip|rq)$")
DATA_PREFIXES = ("/api/", "/dumps/", "/data/", "/search/suggest")
SERIOUS = ("serious", "critical")
BROWSER_PAGES_PER_TYPE = 20


@pytest.fixture(scope="module")
def built_server(built_data_dir):
    """The app serving the bundled corpus's build, in a thread on a free loopback port."""
    from r2pkg.webapp import create_app

    app = create_app({"DATA_DIR": str(built_data_dir), "SPARQL_TIMEOUT": 5.0, "SPARQL_CLIENT_QUERY_TIME": 3600.0,
                      "SPARQL_CLIENT_CONCURRENCY": 16})
    with app_in_thread(app, threads=6, name="r2pkg-crawl-server") as base:
        yield base


def page_type(path: str) -> str:
    """What kind of page a path is: /page/state/x -> 'page/state', /list/State?x -> 'list', / -> 'home'."""
    parts = [p for p in urlsplit(path).path.split("/") if p]
    if not parts:
        return "home"
    if parts[0] == "page" and len(parts) > 2:
        return "page/" + parts[1]
    return parts[0] + ("?" if urlsplit(path).query else "")


def same_origin_links(html: str, url: str, base: str) -> list[str]:
    out = []
    for href in re.findall(r'href="([^"]+)"', html):
        target = urljoin(url, href.replace("&amp;", "&"))
        if target.startswith(base + "/"):
            out.append(target)
    return out


@pytest.fixture(scope="module")
def crawl(built_server):
    """Every same-origin URL reachable from the home page over HTTP: {url: (status, html or '')}, and every
    link found. Only HTML answers keep their body. Pages reached through a query string (a sort, a facet, a page of a list) are fetched but their
    own links not followed: their combinations never end, and their links are those of the pages around them."""
    base = built_server
    session = requests.Session()
    seen: dict[str, tuple[int, str]] = {}
    links: list[tuple[str, str]] = []             # (from page, to url with its fragment)
    todo = deque([base + "/"])
    while todo:
        url = todo.popleft()
        if url in seen:
            continue
        path = url[len(base):]
        is_data = DATA_SUFFIX.search(urlsplit(path).path) or path.startswith(DATA_PREFIXES)
        r = session.get(url, timeout=60, headers={"Accept": "text/html,*/*;q=0.8"}, stream=bool(is_data))
        html = "" if is_data or "text/html" not in r.headers.get("Content-Type", "") else r.text
        r.close()
        seen[url] = (r.status_code, html)
        if not html or (urlsplit(path).query and url != base + "/"):
            continue
        for target in same_origin_links(html, url, base):
            links.append((url, target))
            bare, _ = urldefrag(target)
            if bare not in seen:
                todo.append(bare)
    return seen, links


def test_every_crawled_url_answers_without_an_error(crawl):
    seen, _ = crawl
    assert len(seen) > 100
    bad = {url: status for url, (status, _) in seen.items() if status >= 400}
    assert bad == {}


def test_no_link_points_to_a_sentence_the_document_page_does_not_render(crawl):
    seen, links = crawl
    anchors: dict[str, set[str]] = {}
    dead = []
    for source, target in links:
        bare, fragment = urldefrag(target)
        if not fragment.startswith("char="):
            continue
        if bare not in anchors:
            anchors[bare] = set(re.findall(r'id="(char=\d+,\d+)"', seen.get(bare, (0, ""))[1]))
        if fragment not in anchors[bare]:
            dead.append((source, target))
    assert dead == []


def html_pages(crawl) -> list[str]:
    seen, _ = crawl
    return sorted(url for url, (status, html) in seen.items() if html and status == 200)


def sample_per_type(urls: list[str], base: str, most: int) -> list[str]:
    """Up to `most` pages of each page type, spread over the type's pages in URL order."""
    by_type: dict[str, list[str]] = {}
    for url in urls:
        by_type.setdefault(page_type(url[len(base):]), []).append(url)
    picked = []
    for pages in by_type.values():
        step = max(1, len(pages) / most)
        picked += [pages[int(i * step)] for i in range(min(most, len(pages)))]
    return sorted(picked)


def test_every_page_loads_without_console_errors_and_fits_phones_and_screens(browser, built_server, crawl):
    context = browser.new_context(viewport={"width": WIDTHS[-1], "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"{page.url}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    outside = only_local_requests(page, built_server)
    overflow = []
    started = time.perf_counter()
    urls = sample_per_type(html_pages(crawl), built_server, BROWSER_PAGES_PER_TYPE)
    for url in urls:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            if width == WIDTHS[0]:
                page.goto(url, wait_until="domcontentloaded")
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            if wide > width:
                culprit = page.evaluate(WIDEST_ELEMENT, width)
                overflow.append(f"{url} at {width}px: {wide}px wide ({culprit})")
    context.close()
    print(f"{len(urls)} pages at {len(WIDTHS)} widths in {time.perf_counter() - started:.0f} s")
    assert errors == []
    assert outside == []
    assert overflow == []


# The element whose right edge lies furthest past the viewport, named for the failure message.
WIDEST_ELEMENT = """(width) => {
  let worst = null, right = width;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect().right;
    if (r > right) { right = r; worst = el; }
  }
  return worst ? worst.tagName.toLowerCase() + (worst.className ? '.' + String(worst.className).split(' ').join('.') : '') : '';
}"""


def one_page_per_type(urls: list[str], base: str) -> dict[str, str]:
    picked: dict[str, str] = {}
    for url in urls:
        picked.setdefault(page_type(url[len(base):]), url)
    return picked


def axe_violations(page, url: str, prepare=None) -> list[dict]:
    """The serious and critical violations axe-core finds in the page at `url` (WCAG 2.1 A and AA rules),
    after `prepare(page)` has brought it to the state to check."""
    page.goto(url, wait_until="load")
    if prepare:
        prepare(page)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in result if v["impact"] in SERIOUS]


@pytest.fixture(scope="module")
def axe_page(browser, built_server):
    # axe is injected as an inline script, which the app's Content-Security-Policy rightly forbids
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    only_local_requests(page, built_server)
    yield page
    context.close()


def test_one_page_of_each_type_passes_axe(axe_page, built_server, crawl):
    urls = one_page_per_type(html_pages(crawl), built_server)
    urls["error"] = built_server + "/page/state/no-such-state"
    assert {"home", "page/state", "page/meeting", "document", "list", "documents", "search"} <= set(urls)
    found = {f"{kind} {url}": axe_violations(axe_page, url) for kind, url in sorted(urls.items()) if kind != "sparql"}
    assert {where: v for where, v in found.items() if v} == {}


def _results(page) -> None:
    page.locator(".yasr table.dataTable").wait_for()


def _an_error(page) -> None:
    page.evaluate("() => window.r2pkgYasgui.getTab().getYasqe().setValue('SELECT * WHERE { ?s nope:p ?o }')")
    page.locator(".yasqe_queryButton").click()
    page.locator(".yasr .errorResult").wait_for()


def _settings_and_a_second_tab(page) -> None:
    page.locator(".addTab").click()
    page.locator(".tabsList .tab").nth(1).wait_for()
    page.locator(".tabPanel.active .tabContextButton").click()
    page.locator(".tabPanel.active .tabMenu.open").wait_for()
    page.wait_for_timeout(600)                  # the menu's opening transition


MEETINGS = (QUERIES_DIR / "meetings.rq").read_text(encoding="utf-8")
EDITOR_STATES = {
    "without results": ("/sparql", None),
    "with a saved query's results": ("/sparql?query=" + quote(MEETINGS), _results),
    "with an error": ("/sparql", _an_error),
    "with its settings and a second tab open": ("/sparql", _settings_and_a_second_tab),
}


@pytest.mark.parametrize("state", EDITOR_STATES)
def test_the_editor_passes_axe(axe_page, built_server, state):
    """YASGUI's own markup (its tab list, CodeMirror, the results table and its controls) completed by sparql.js."""
    path, prepare = EDITOR_STATES[state]
    assert axe_violations(axe_page, built_server + path, prepare) == []


def test_type_ahead_suggestions_are_readable(browser, built_server):
    """Contrast of a suggestion's text on its background, in the site header's box: at least 4.5:1 (WCAG AA)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    only_local_requests(page, built_server)
    page.goto(built_server + "/search")
    box = page.locator("header.site input[type=search]")
    box.click()
    box.type("Qat", delay=30)
    link = page.locator("header.site .suggestions-list li a").first
    link.wait_for()
    ratio = page.evaluate(CONTRAST, link.element_handle())
    context.close()
    assert ratio >= 4.5


CONTRAST = """(el) => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  let bg = el, colour = 'rgba(0, 0, 0, 0)';
  while (bg && (colour === 'rgba(0, 0, 0, 0)' || colour === 'transparent')) { colour = getComputedStyle(bg).backgroundColor; bg = bg.parentElement; }
  const a = lum(rgb(getComputedStyle(el).color)), b = lum(rgb(colour));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.parametrize("name,path,ready", [
    ("home", "/", "#growth svg.chart"),
    ("entity", "/page/meeting/annual-meeting-9", "#neighbourhood-graph[data-ready=true] canvas"),
    ("list", "/list/State?named=yes", "table.list"),
    ("editor", "/sparql", ".yasqe .CodeMirror"),
])
def test_readme_screenshots(browser, built_server, name, path, ready):
    """The README's screenshots, made from the bundled build at a laptop's width (docs/screenshots/ with
    R2PKG_UPDATE_SCREENSHOTS=1)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    only_local_requests(page, built_server)
    page.goto(built_server + path, wait_until="load")
    page.wait_for_selector(ready)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=False)
    context.close()
    assert target.stat().st_size > 10_000
