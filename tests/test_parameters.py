"""Saved-query parameters are typed, validated and bound as values, never pasted into the text."""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from r2pkg.graph.savedqueries import (ParameterError, SavedQueryError, bind_parameters,
                                      load_saved_queries, parse_saved_query, query_text, run_saved)

QUERY = """#+ summary: Meetings of an ordinal
#+ description: Test query.
#+ tags: [meetings, test]
#+ parameters:
#+   - name: ordinal
#+     type: integer
#+     required: true
#+   - name: state
#+     type: iri
#+     class: r2p:State
#+   - name: since
#+     type: date
#+     default: 2010-01-01
PREFIX r2p: <https://w3id.org/r2pkg/ontology#>
SELECT ?meeting ?state WHERE { ?meeting r2p:ordinal ?ordinal ; r2p:hostedBy ?state . }
"""
R2P = "https://w3id.org/r2pkg/ontology#"
DENMARK = "https://w3id.org/r2pkg/id/state/denmark"


@pytest.fixture
def query(tmp_path: Path):
    path = tmp_path / "meetings-of.rq"
    path.write_text(QUERY, encoding="utf-8")
    return parse_saved_query(path)


@pytest.fixture
def store() -> ox.Store:
    s = ox.Store()
    g = ox.NamedNode("https://w3id.org/r2pkg/graph/document/x")
    meeting, denmark = ox.NamedNode("https://w3id.org/r2pkg/id/meeting/annual-meeting-2"), ox.NamedNode(DENMARK)
    s.extend([
        ox.Quad(meeting, ox.NamedNode(R2P + "ordinal"), ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), g),
        ox.Quad(meeting, ox.NamedNode(R2P + "hostedBy"), denmark, g),
        ox.Quad(denmark, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(R2P + "State"), g),
        ox.Quad(denmark, ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"), ox.Literal("Denmark"), g),
    ])
    return s


def test_metadata_is_read_from_the_hash_plus_lines(query):
    assert query.name == "meetings-of"
    assert query.summary == "Meetings of an ordinal"
    assert query.tags == ("meetings", "test")
    assert [p.name for p in query.parameters] == ["ordinal", "state", "since"]
    assert query.parameter("state").cls == R2P + "State"


def test_values_are_typed(query):
    bound = bind_parameters(query, {"ordinal": "9", "state": DENMARK})
    assert bound[ox.Variable("ordinal")] == ox.Literal("9", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert bound[ox.Variable("state")] == ox.NamedNode(DENMARK)
    assert bound[ox.Variable("since")].value == "2010-01-01"


def test_a_prefixed_name_is_expanded(query):
    assert bind_parameters(query, {"ordinal": "1", "state": "id:state/denmark"})[ox.Variable("state")] == ox.NamedNode(DENMARK)


@pytest.mark.parametrize("values, message", [
    ({}, "'ordinal': is required"),
    ({"ordinal": "nine"}, "'ordinal': 'nine' is not an integer"),
    ({"ordinal": "9 } DROP ALL"}, "is not an integer"),
    ({"ordinal": "9", "since": "yesterday"}, "'since': 'yesterday' is not a date"),
    ({"ordinal": "9", "colour": "red"}, "'colour': not a parameter of 'meetings-of'"),
    ({"ordinal": "9", "state": "Denmark"}, "'state': 'Denmark' is not an IRI"),
    ({"ordinal": "9" * 5000}, "'ordinal': '9999999999999999999999999999999999999999'… .5,000 characters. is too long"),
    ({"ordinal": "9", "state": "http://x/<y>"}, "'state': 'http://x/<y>' is not an IRI: an IRI cannot hold spaces"),
    ({"ordinal": "9", "state": "id:state/a\x00b"}, "is not an IRI"),
])
def test_bad_values_are_refused_with_a_message_naming_the_parameter(query, values, message):
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace("}", r"\}")):
        bind_parameters(query, values)


def test_a_label_or_slug_is_resolved_within_the_parameter_class(query, store):
    from r2pkg.graph.savedqueries import store_label_resolver

    resolve = store_label_resolver(store)
    for text in ("Denmark", "denmark", "DENMARK"):
        assert bind_parameters(query, {"ordinal": "2", "state": text}, resolve)[ox.Variable("state")].value == DENMARK
    with pytest.raises(ParameterError, match="no entity is called 'Atlantis'"):
        bind_parameters(query, {"ordinal": "2", "state": "Atlantis"}, resolve)


def test_a_string_value_cannot_change_the_query(tmp_path, store):
    path = tmp_path / "by-label.rq"
    path.write_text('#+ summary: s\n#+ parameters:\n#+   - name: label\n#+     type: string\n'
                    'SELECT ?e WHERE { ?e <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }\n')
    rows = run_saved(store, "by-label", {"label": 'Denmark" } UNION { ?e ?p ?o } #'}, directory=tmp_path)
    assert rows == []
    assert run_saved(store, "by-label", {"label": "Denmark"}, directory=tmp_path) == [{"e": DENMARK}]


def test_run_saved_gives_plain_python_values(tmp_path, store):
    (tmp_path / "meetings-of.rq").write_text(QUERY)
    rows = run_saved(store, "meetings-of", {"ordinal": "2"}, directory=tmp_path)
    assert rows == [{"meeting": "https://w3id.org/r2pkg/id/meeting/annual-meeting-2", "state": DENMARK}]


def test_a_malformed_metadata_block_names_the_file(tmp_path):
    path = tmp_path / "broken.rq"
    path.write_text("#+ summary: [unclosed\nSELECT * WHERE {}\n")
    with pytest.raises(SavedQueryError, match="broken.rq"):
        parse_saved_query(path)


def test_an_unknown_parameter_type_names_the_file_and_parameter(tmp_path):
    path = tmp_path / "typed.rq"
    path.write_text("#+ parameters:\n#+   - name: x\n#+     type: colour\nSELECT * WHERE {}\n")
    with pytest.raises(SavedQueryError, match=r"typed.rq: parameter 'x' has type 'colour'"):
        parse_saved_query(path)


def test_the_bundled_queries_all_load():
    queries = load_saved_queries()
    assert queries, "queries/ holds the saved queries"
    for q in queries.values():
        assert q.summary, f"{q.path} has no summary"


def test_values_are_bound_at_the_top_of_the_where_group_whatever_comments_strings_and_iris_precede_it():
    from r2pkg.graph.sparql import with_values

    text = ('# a comment with { a brace\nPREFIX ex: <http://example.org/ns#>\n'
            'SELECT (CONCAT("{", ?o) AS ?y) WHERE { ?s ex:p ?o }')
    bound = with_values(text, {ox.Variable("o"): ox.Literal('a"} DROP ALL {')})
    assert bound.endswith('WHERE { VALUES (?o) { ("a\\"} DROP ALL {") } ?s ex:p ?o }')
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/ns#p"),
                      ox.Literal('a"} DROP ALL {')))
    assert [r["y"].value for r in store.query(bound)] == ['{a"} DROP ALL {']


PAGED = """#+ summary: Labelled things, a page at a time
#+ parameters:
#+   - name: limit
#+     type: integer
#+     sets: LIMIT
#+     default: 2
#+   - name: offset
#+     type: integer
#+     sets: offset
#+     default: 0
# Not this LIMIT 7: a comment.
SELECT ?label WHERE { ?thing <http://www.w3.org/2004/02/skos/core#prefLabel> ?label FILTER(?label != "LIMIT 9") }
ORDER BY ?label
LIMIT 2 OFFSET 0
"""


def _labelled(n: int) -> ox.Store:
    s = ox.Store()
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    s.extend(ox.Quad(ox.NamedNode(f"https://example.org/thing/{i}"), label, ox.Literal(f"thing {i}"),
                     ox.NamedNode("https://example.org/graph")) for i in range(n))
    return s


def test_a_page_parameter_sets_the_number_of_its_clause_and_nothing_else(tmp_path):
    (tmp_path / "things.rq").write_text(PAGED, encoding="utf-8")
    store = _labelled(5)

    def labels(**values) -> list[str]:
        return [row["label"] for row in run_saved(store, "things", values, directory=tmp_path)]

    assert labels() == ["thing 0", "thing 1"]                       # the defaults: the file as written
    assert labels(limit="3", offset="1") == ["thing 1", "thing 2", "thing 3"]
    assert labels(offset="4", limit="10") == ["thing 4"]
    query = parse_saved_query(tmp_path / "things.rq")
    assert bind_parameters(query, {"limit": "3"}) == {}                 # never a variable's value
    with pytest.raises(ParameterError, match="'offset'.*negative"):
        labels(offset="-2")


@pytest.mark.parametrize("spec, message", [
    ("#+   - name: limit\n#+     type: string\n#+     sets: LIMIT\n", "is then an integer"),
    ("#+   - name: limit\n#+     type: integer\n#+     sets: ORDER\n", "may set LIMIT or OFFSET"),
    ("#+   - name: offset\n#+     type: integer\n#+     sets: OFFSET\n", "exactly one 'OFFSET <number>' clause (found 0)"),
])
def test_a_page_parameter_needs_an_integer_and_its_one_clause(tmp_path, spec, message):
    path = tmp_path / "bad.rq"
    path.write_text("#+ summary: bad\n#+ parameters:\n" + spec
                    + "# OFFSET 3 in a comment does not count\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 10\n", encoding="utf-8")
    with pytest.raises(SavedQueryError, match=re.escape(message)):
        parse_saved_query(path)


# A sub-SELECT does not see the values bound at the top of the query: a query that needs its parameter inside one
# declares it `inner: true`. Here the latest thing up to a number, counted in a sub-SELECT.
LATEST = """#+ summary: The latest thing up to a number
#+ description: Test query.
#+ tags: [test]
#+ parameters:
#+   - name: upTo
#+     type: integer
#+     required: true
#+     inner: true
PREFIX ex: <https://example.org/>
SELECT ?latest ?upTo
WHERE {
  {
    # "SELECT" in a comment, and "?upTo" too, are not a sub-SELECT
    SELECT (MAX(?n) AS ?latest) WHERE { ?thing ex:number ?n FILTER(?n <= ?upTo) }
  }
  { SELECT ?other WHERE { ?other ex:number 1 } }
}
"""


def _numbered(*numbers: int) -> ox.Store:
    s = ox.Store()
    s.extend(ox.Quad(ox.NamedNode(f"https://example.org/thing/{n}"), ox.NamedNode("https://example.org/number"),
                     ox.Literal(str(n), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                     ox.NamedNode("https://example.org/graph")) for n in numbers)
    return s


def test_an_inner_parameter_is_bound_inside_the_sub_selects_that_use_it(tmp_path):
    (tmp_path / "latest.rq").write_text(LATEST, encoding="utf-8")
    store = _numbered(1, 3, 7, 12)
    rows = run_saved(store, "latest", {"upTo": "8"}, directory=tmp_path)
    assert rows == [{"latest": 7, "upTo": 8}]
    assert run_saved(store, "latest", {"upTo": "100"}, directory=tmp_path) == [{"latest": 12, "upTo": 100}]
    text = query_text(parse_saved_query(tmp_path / "latest.rq"), {"upTo": "8"})
    assert text.count("VALUES (?upTo)") == 2        # the query's own group and the one sub-SELECT that reads it


def test_an_inner_flag_is_true_or_false(tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text(LATEST.replace("inner: true", "inner: sometimes"), encoding="utf-8")
    with pytest.raises(SavedQueryError, match="'upTo' has inner: 'sometimes'; expected true or false"):
        parse_saved_query(path)
