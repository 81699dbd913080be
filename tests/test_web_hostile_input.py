"""Hostile request input is a 400 or a 404 with a clear message, never a 500: paths that cannot be IRIs (spaces, <>,
NUL, bytes that are not UTF-8) in every route taking a kind and slug, integers longer than Python parses, IRIs that
are not IRIs, and odd time limits."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROUTES = ("/id/state/{}", "/id/state/{}.ttl", "/id/{}", "/page/state/{}", "/page/{}", "/data/state/{}.ttl",
          "/data/{}.jsonld", "/document/{}", "/queries/{}", "/queries/{}.csv", "/api/queries/{}", "/dumps/{}",
          "/ontology.{}")
# Each is a path segment as a client sends it, already percent-encoded.
SEGMENTS = ("a%20b", "%3Cx%3E", "%00", "a%00b", "a%22b", "%7B%7D", "a%7Cb", "%5C", "%5E", "%60", "%FF",
            "%ED%A0%80", "a%0Ab", "%7F", "a%09b", "%E2%80%AE", "%25", "x" * 5000)
DIGITS = "1" * 5000


def assert_clear_refusal(response, *statuses: int) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code in (statuses or (400, 404)), (response.status_code, body[:300])
    assert "Traceback" not in body and "ValueError" not in body and "Internal error" not in body
    assert "\x00" not in body


@pytest.mark.parametrize("segment", SEGMENTS, ids=lambda s: s[:12])
@pytest.mark.parametrize("route", ROUTES)
def test_a_path_that_cannot_be_an_iri_is_a_clear_404(client, route, segment):
    assert_clear_refusal(client.get(route.format(segment)), 404)


@pytest.mark.parametrize("route", ("/id/state/{}", "/page/state/{}", "/document/{}"))
def test_the_404_says_why(client, route):
    response = client.get(route.format("a%20%3Cb%3E%00"))
    text = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "an IRI cannot hold spaces" in text and "a &lt;b&gt;\\x00" in text


@pytest.mark.parametrize("path", [
    "/api/queries/meetings-since?year=" + DIGITS,
    "/api/queries/meetings-since?year=-" + DIGITS,
    "/api/queries/meetings-since?year=2010&minimum=" + DIGITS,
    "/queries/meetings-since?year=" + DIGITS,
    "/queries/meetings-since.csv?year=" + DIGITS,
    "/api/queries/meetings-hosted-by?host=http://a%3Cb",
    "/api/queries/meetings-hosted-by?host=http://a%00b",
    "/api/queries/meetings-hosted-by?host=https://x/%22%7D%20",
    "/queries/meetings-hosted-by?host=id:state/a%3Cb%3E",
    "/queries/meetings-hosted-by.json?host=http://a%5Cb",
])
def test_a_parameter_that_cannot_be_parsed_is_a_400_naming_it(client, path):
    response = client.get(path)
    assert_clear_refusal(response, 400)
    body = response.get_data(as_text=True)
    assert "year" in body or "minimum" in body or "host" in body
    if not path.startswith("/queries/meetings-since?"):     # the form shows the value back in its field
        assert DIGITS not in body


def test_the_api_says_what_is_wrong_with_a_long_integer(client):
    body = client.get("/api/queries/meetings-since?year=" + DIGITS).get_json()
    assert body["parameter"] == "year" and "too long" in body["message"] and "5,000 characters" in body["message"]


@pytest.mark.parametrize("timeout", [DIGITS, "-" + DIGITS, "nan", "inf", "-inf", "1e400", "%00", "0x10", "1_0", ""])
@pytest.mark.parametrize("path", ["/sparql?query=ASK%7B%7D&timeout={}", "/api/queries/meetings-since?timeout={}"])
def test_an_odd_time_limit_is_ignored_or_refused(client, path, timeout):
    assert_clear_refusal(client.get(path.format(timeout)), 200, 400)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["id", "page", "data", "document"]),
       segment=st.text(min_size=1, max_size=40) | st.binary(min_size=1, max_size=20).map(lambda b: b.decode("latin-1")))
def test_no_path_segment_is_a_5xx(client, kind, segment):
    encoded = quote(segment.encode("utf-8", "surrogatepass"), safe="")
    response = client.get(f"/{kind}/state/{encoded}" + (".ttl" if kind == "data" else ""))
    assert response.status_code < 500, (segment, response.status_code)


@settings(max_examples=60, deadline=None)
@given(raw=st.text(max_size=60))
def test_no_parameter_value_is_a_5xx(client, raw):
    for path in ("/api/queries/meetings-since", "/api/queries/meetings-hosted-by"):
        name = "year" if path.endswith("since") else "host"
        response = client.get(path, query_string={name: raw})
        assert response.status_code < 500, (raw, response.status_code, response.get_data(as_text=True)[:200])
