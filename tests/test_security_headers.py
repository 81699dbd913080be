"""Security headers on every response, no debug mode or stack traces, and a request log that never holds queries."""
from __future__ import annotations

import logging

import pytest
import requests

PAGES = ["/", "/search?q=spain", "/search/suggest?q=sp", "/queries", "/queries/meetings", "/api/queries/meetings",
         "/api/openapi.json", "/sparql", "/page/state/spain", "/ontology", "/dumps", "/static/app.css", "/nowhere",
         "/sparql?query=SELECT+*+WHERE+%7B%3Fs+%3Fp+%3Fo%7D+LIMIT+1"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(live_server, path):
    r = requests.get(live_server + path, headers={"Accept": "text/html"}, timeout=30)
    h = r.headers
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["X-Frame-Options"] == "DENY"
    assert h["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in h["Permissions-Policy"]
    policy = dict(part.strip().split(" ", 1) for part in h["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"          # no inline script, no eval, no other host
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["connect-src"] == "'self'" and policy["base-uri"] == "'self'"


def test_pages_have_no_inline_script_or_event_handler(client):
    import re

    for path in ("/", "/search?q=spain", "/queries", "/queries/meetings", "/sparql", "/page/state/spain",
                 "/ontology", "/dumps", "/document/2015-5th-annual-meeting-madrid"):
        r = client.get(path, headers={"Accept": "text/html"})
        html = r.get_data(as_text=True)
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), path
        assert "javascript:" not in html.lower(), path


def test_the_policy_is_a_setting(make_app_client):
    c = make_app_client(CONTENT_SECURITY_POLICY="default-src 'none'", SPARQL_CONTENT_SECURITY_POLICY="default-src 'self'")
    assert c.get("/").headers["Content-Security-Policy"] == "default-src 'none'"
    assert c.get("/sparql", headers={"Accept": "text/html"}).headers["Content-Security-Policy"] == "default-src 'self'"


def test_an_unexpected_error_is_a_plain_500_without_a_trace(web_data_dir, web_queries_dir):
    from r2pkg.webapp import create_app

    app = create_app({"DATA_DIR": str(web_data_dir), "QUERIES_DIR": str(web_queries_dir)})
    assert app.debug is False

    @app.route("/boom")
    def boom():
        raise ValueError("secret internal detail /etc/passwd")

    for accept in ("text/html", "application/json"):
        r = app.test_client().get("/boom", headers={"Accept": accept})
        body = r.get_data(as_text=True)
        assert r.status_code == 500
        assert "Traceback" not in body and "secret internal detail" not in body and "ValueError" not in body
        assert "Content-Security-Policy" in r.headers


def test_the_request_log_never_holds_a_query_and_no_page_echoes_one(make_app_client, caplog):
    marker = "SECRETMARKER4711"
    c = make_app_client()
    query = f'SELECT * WHERE {{ ?s ?p "{marker}" }}'
    with caplog.at_level(logging.INFO, logger="r2pkg.requests"):
        c.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
        c.post("/sparql", data={"query": query})
        c.post("/sparql", data=query, content_type="application/sparql-query")
        c.get("/search", query_string={"q": marker})
        c.get("/api/queries/meetings-since", query_string={"year": marker})
    lines = [r.getMessage() for r in caplog.records if r.name == "r2pkg.requests"]
    assert len(lines) == 5 and any(line.startswith("GET /sparql 200") for line in lines)
    assert not any(marker in line or "?" in line for line in lines), lines
    # another client's pages never show it
    for path in ("/", "/sparql", "/queries", "/search"):
        assert marker not in make_app_client().get(path, headers={"Accept": "text/html"}).get_data(as_text=True)


def test_the_request_log_can_be_turned_off(make_app_client, caplog):
    with caplog.at_level(logging.INFO, logger="r2pkg.requests"):
        make_app_client(REQUEST_LOG=False).get("/")
    assert not [r for r in caplog.records if r.name == "r2pkg.requests"]


@pytest.fixture
def request_log_lines():
    """What the r2pkg.requests logger writes, as `r2pkg serve` prints it; read with .getvalue()."""
    import io

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logger = logging.getLogger("r2pkg.requests")
    logger.addHandler(handler)
    level, logger.level = logger.level, logging.INFO
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_a_path_cannot_forge_log_lines_or_colour_the_terminal(make_app_client, request_log_lines):
    forged = "/page/state/x%0a2026-12-06 04:00:00,000 GET /admin 200 1 0ms%0d%1b[31mRED%00%e2%80%ae"
    make_app_client().get(forged)
    written = request_log_lines.getvalue()
    assert written.count("\n") == 1 and "\r" not in written and "\x1b" not in written and "\x00" not in written
    assert "/page/state/x\\n2026-12-06 04:00:00,000 GET /admin 200 1 0ms\\r\\x1b[31mRED\\x00\\u202e 404" in written


def test_a_long_path_is_logged_cut_short(make_app_client, request_log_lines):
    make_app_client().get("/page/state/" + "x" * 5000)
    line = request_log_lines.getvalue()
    assert line.count("\n") == 1 and "x" * 280 + "…" in line and "x" * 300 not in line and " 404 " in line
