"""The query-text checks read a query as Oxigraph does: every SERVICE the engine would call is seen.

The oracle is the engine itself. Each generated query hides `SERVICE <http://127.0.0.1:1/> {}` among
comments, strings, IRIs, escapes, brackets and line terminators; Oxigraph refuses port 1 for HTTP
before opening any connection, so "the engine tried to call the endpoint" is an error naming that port,
and no request leaves the machine. Whenever the engine tries, the check must have seen a SERVICE.
"""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from r2pkg.graph import sparql, sparqltext

ENDPOINT = "<http://127.0.0.1:1/>"
CALL = f"SERVICE {ENDPOINT} {{}}"


def _store() -> ox.Store:
    """A triple for each kind of object the queries end a pattern with, so no join comes out empty."""
    store = ox.Store()
    a, b = ox.NamedNode("http://x/a"), ox.NamedNode("http://x/b")
    for value in (ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                  ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
                  ox.Literal("a"), a):
        store.add(ox.Quad(a, b, value))
    return store


STORE = _store()


def engine_calls_service(query: str) -> bool | None:
    """True when Oxigraph tried to call the SERVICE endpoint, False when it ran the query without,
    None when it refused the query as malformed (then nothing runs)."""
    try:
        answer = STORE.query(query)
        if isinstance(answer, (ox.QuerySolutions, ox.QueryTriples)):
            list(answer)
        return False
    except SyntaxError:
        return None
    except OSError as exc:
        if "port 1 is not allowed" in str(exc):
            return True
        raise


def check_sees_service(query: str) -> bool:
    return sparqltext.read_query(query).services != []


# --- the bypasses found so far, one by one ------------------------------------------------------

BYPASSES = {
    "comment ended by a carriage return": f"SELECT * {{ BIND(1 AS ?one) #\r {CALL} }}",
    "keyword glued to a prefixed name": f"PREFIX ex: {ENDPOINT} SELECT * {{ BIND(1 AS ?one) SERVICEex:x {{}} }}",
    "keyword glued to a number": f"SELECT * {{ BIND(1 AS ?one) ?a ?b 1{CALL} }}",
    "keyword glued to true": f"SELECT * {{ BIND(1 AS ?one) ?a ?b true{CALL} }}",
    "keyword after a dot": f"SELECT * {{ BIND(1 AS ?one) ?a ?b ?c.{CALL} }}",
    "less-than read as an IRI, comment behind it": f"SELECT * {{ BIND(1 AS ?one) FILTER(1<2)SERVICE#>\n{ENDPOINT} {{}} }}",
    "less-than read as an IRI, string behind it":
        f"SELECT * {{ BIND(1 AS ?one) FILTER(1<2)#> BIND('''\n{CALL}\n#''' AS ?z)\n}}",
    "escaped # in a prefixed name":
        f"PREFIX ex: <http://x/> SELECT * {{ BIND(1 AS ?one) OPTIONAL {{ ?a ?b ex:a\\# }} {CALL} }}",
    "escaped quote in a prefixed name":
        f"PREFIX ex: <http://x/> SELECT * {{ BIND(1 AS ?one) OPTIONAL {{ ?a ?b ex:a\\' }} {CALL} }} #'",
    "escaped quote in a long string": f"SELECT * {{ BIND('''a\\'''' AS ?x) {CALL} }}",
    "IRI with a unicode escape and #": f"SELECT * {{ BIND(<http://x/\\u0041#> AS ?x) {CALL} }}",
}


@pytest.mark.parametrize("name", list(BYPASSES))
def test_each_known_bypass_is_seen(name):
    query = BYPASSES[name]
    assert engine_calls_service(query) is True, "the example no longer reaches the engine's SERVICE"
    assert check_sees_service(query)
    with pytest.raises(sparql.QueryRefused):
        sparql.run_query(ox.Store(), query)


@pytest.mark.parametrize("query", [
    "SELECT ?service WHERE { ?service ?p ?o }",
    "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:service ?o ; ex:serviceArea ?x }",
    "SELECT * WHERE { ?s ?p 'a SERVICE <http://127.0.0.1:1/> {} string' }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:1/> {} in a comment\n",
    "SELECT * WHERE { ?s <http://x/#service> ?o }",
    "SELECT * WHERE { ?s ?p \"x\"@en-service }",
    "SELECT * WHERE { _:service ?p ?o }",
])
def test_service_in_names_strings_and_comments_is_not_a_keyword(query):
    assert engine_calls_service(query) is False
    assert not check_sees_service(query)


# --- generated queries ---------------------------------------------------------------------------

LINE_ENDS = ["\n", "\r", "\r\n", "\x0c", "\u2028", "\x85", ""]
SPACES = [" ", "\t", "\n", "\r", "", "\x0b", "\u00a0"]
PIECES = [
    "#", "# x", "#>", "#'", '#"', "#<", "'", '"', "'''", '"""', "\\'", '\\"', "\\", "\\#", "'a'", '"a"',
    "''", "<", ">", "<http://x/#>", "<http://x/\\u0041>", "<a'b>", "<a#b>", "(", ")", "{", "}", "[", "]",
    "FILTER(1<2)", "FILTER(?one<", "BIND(", " AS ?z)", "?x", "$x", "?x.", "1", "1.", "true", "ex:a", "ex:a\\#",
    "ex:a\\'", ".", ";", ",", "?a ?b ", "SERVICE", "service", "SeRvIcE", "SERVICEex:x {}", ENDPOINT, "{}", "x",
    "@en", "^^", "_:b", "a", "=", "&&", "-", "/*", "*/", "\\u0073ervice", "'''\\''''",
]
piece = st.one_of(st.sampled_from(PIECES), st.sampled_from(LINE_ENDS), st.sampled_from(SPACES))
hidden_call = st.builds(lambda keyword, space: f"{keyword}{space}{ENDPOINT}{space}{{}}",
                        st.sampled_from(["SERVICE", "service", "SeRvIcE"]), st.sampled_from(SPACES[:4]))


@st.composite
def hiding_queries(draw) -> str:
    """A query with a SERVICE call somewhere among hostile pieces, after a BIND so it is evaluated."""
    before = "".join(draw(st.lists(piece, max_size=8)))
    after = "".join(draw(st.lists(piece, max_size=8)))
    closing = draw(st.sampled_from(["", "\n", "#'''\n", "'''", "#\r", ")", " AS ?z)"]))
    prologue = draw(st.sampled_from(["", f"PREFIX ex: {ENDPOINT} ", f"BASE {ENDPOINT} "]))
    return f"{prologue}SELECT * WHERE {{ BIND(1 AS ?one) {before}{draw(hidden_call)}{after}{closing} }}"


@settings(max_examples=10_000, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(hiding_queries())
def test_whenever_the_engine_calls_a_service_the_check_sees_one(query):
    if engine_calls_service(query):
        assert check_sees_service(query), f"the engine calls a SERVICE the check does not see: {query!r}"


@settings(max_examples=2_000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(piece, max_size=20).map("".join))
def test_masking_never_fails_on_any_text(text):
    masked = sparqltext.mask(text)
    assert len(masked) == len(text)
    assert [i for i, c in enumerate(text) if c in "\r\n"] == [i for i, c in enumerate(masked) if c in "\r\n"]


def test_too_many_ambiguous_readings_count_as_unknown():
    query = "SELECT * { BIND(1 AS ?one) " + " ".join(["FILTER(?a<?b#x>)"] * 80) + f"\n{CALL} }}"
    assert sparqltext.read_query(query).services is None
    with pytest.raises(sparql.QueryRefused):
        sparql.run_query(ox.Store(), query)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
    "SELECT * WHERE { BIND(" + "STR(" * 5000 + "1" + ")" * 5000 + " AS ?x) }",
    "SELECT * WHERE { ?s ?p " + "[ ?p " * 300 + "1" + " ]" * 300 + " }",
])
def test_deeply_nested_queries_are_refused_before_the_engine_parses_them(query):
    with pytest.raises(sparql.QueryError, match="nested too deeply"):
        sparql.check_query(query)


def test_nesting_hidden_in_an_iri_shaped_region_is_counted():
    """`FILTER(?a<((((...>` reads as an IRI one way and as deep brackets the other: the deeper counts."""
    query = "SELECT * { FILTER(?a<" + "(" * 100 + ">) }"
    assert sparqltext.read_query(query).depth > sparql.MAX_NESTING
