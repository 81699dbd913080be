"""The saved queries (queries/*.rq): well-formed, documented, and answering their question.

Each query runs against tests/fixtures/queries/graph.trig, a small graph shaped like the build's
output (facts in graph/document/<slug>, their evidence in graph/evidence/<slug>, reference data in
graph/gazetteer, document metadata in graph/corpus, what the reasoner adds in graph/inferred)
with the ontology in graph/ontology, the default graph being the union of them all.
"""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from r2pkg.graph.resources import ONTOLOGY_FILE, QUERIES_DIR
from r2pkg.graph.savedqueries import PARAMETER_TYPES, load_saved_queries, run_saved
from r2pkg.graph.sparql import with_values
from r2pkg.graph.vocab import ONTOLOGY_GRAPH

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "queries" / "graph.trig"
ID = "https://w3id.org/r2pkg/id/"
R2P = "https://w3id.org/r2pkg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"

# The public interface: these names and result variables are relied upon elsewhere.
PUBLIC = {
    "meetings": ["meeting", "ordinal", "startDate", "endDate", "city", "country", "hosts",
                 "participantCount", "moreThan"],
    "meeting-participants": ["state", "stateLabel"],
    "focal-points": ["member", "memberLabel", "person", "personLabel", "position", "year", "total"],
    "network-size": ["date", "states", "organizations", "source", "namedByThen", "counts"],
    "role-holders": ["person", "personLabel", "role", "organizationLabel", "year", "title"],
}
REQUIRED = set(PUBLIC) | {
    "situations-by-meeting", "meetings-by-situation", "mechanisms", "meeting-recommendations",
    "recurring-entities", "state-profile", "fact-evidence", "network-growth", "steering-group",
    "announcements", "hosts", "mechanism-history", "members-at", "post-descriptions", "meeting-parties",
}
QUERY_FILES = sorted(QUERIES_DIR.glob("*.rq"))


def sample_value(ptype: str) -> ox.NamedNode | ox.Literal:
    return {
        "integer": ox.Literal("9", datatype=ox.NamedNode(XSD + "integer")),
        "date": ox.Literal("2019-05-13", datatype=ox.NamedNode(XSD + "date")),
        "iri": ox.NamedNode(ID + "state/denmark"),
    }.get(ptype, ox.Literal("x"))


def variables(store: ox.Store, name: str, bind_all: bool = True) -> list[str]:
    query = load_saved_queries()[name]
    subs = {ox.Variable(p.name): sample_value(p.type) for p in query.parameters if bind_all or p.required}
    result = store.query(with_values(query.text, subs), use_default_graph_as_union=True)
    return [v.value for v in result.variables]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    s.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    s.load(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(ONTOLOGY_GRAPH)))
    return s


@pytest.fixture(scope="module")
def run(store):
    def run(name: str, params: dict[str, str] | None = None) -> list[dict]:
        return run_saved(store, name, params or {})

    return run


# ------------------------------------------------------------------------------------------
# Form
# ------------------------------------------------------------------------------------------

def test_the_catalogue_has_every_required_query():
    assert REQUIRED <= set(load_saved_queries())


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_parses_without_outside_prefixes(path):
    """Valid SPARQL 1.1 on its own: every prefix it uses is declared in the file."""
    query = load_saved_queries()[path.stem]
    subs = {ox.Variable(p.name): sample_value(p.type) for p in query.parameters}
    result = ox.Store().query(with_values(path.read_text(encoding="utf-8"), subs))
    assert isinstance(result, ox.QuerySolutions)
    assert list(result) == []


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_is_documented(path):
    query = load_saved_queries()[path.stem]
    assert query.summary and len(query.summary) < 100
    assert query.description and len(query.description) >= 60 and query.description != query.summary
    assert query.tags and all(isinstance(t, str) and t for t in query.tags)
    for p in query.parameters:
        assert p.type in PARAMETER_TYPES
        assert p.description, f"parameter {p.name} has no description"
        if p.cls:
            assert p.type == "iri"
            assert p.cls.startswith(R2P)


def _free_variables(text: str) -> set[str]:
    """Variables the query reads but no pattern, BIND, VALUES or aggregate can bind: parameters."""
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    bound: set[Variable] = set()
    seen: set[Variable] = set()

    def walk(node) -> None:
        if isinstance(node, CompValue):
            if "triples" in node:
                for triple in node["triples"]:
                    bound.update(t for t in triple if isinstance(t, Variable))
            if node.name == "Extend":
                bound.add(node["var"])
            if node.name == "Graph" and isinstance(node.get("term"), Variable):
                bound.add(node["term"])
            if node.name == "values":
                for row in node["res"]:
                    bound.update(row)
            if node.name.startswith("Aggregate_"):
                bound.add(node["res"])
            for value in node.values():
                walk(value)
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(key)
                walk(value)
        elif isinstance(node, (list, tuple, set)):
            for value in node:
                walk(value)
        elif isinstance(node, Variable):
            seen.add(node)

    walk(prepareQuery(text).algebra)
    return {str(v) for v in seen - bound}


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_parameters_are_declared_and_used(path, store):
    query = load_saved_queries()[path.stem]
    declared = {p.name for p in query.parameters}
    assert _free_variables(query.text) <= declared, "a variable is read but never bound: declare it a parameter"
    body = query.text[query.text.index("WHERE"):]
    for param in query.parameters:
        used = f"{param.sets} " if param.sets else f"?{param.name}"   # a page's LIMIT / OFFSET, or a variable
        assert used in body, f"parameter {param.name} is not used in the query"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_queries_return_exactly_their_variables(store, name):
    """The public columns, exactly and in order."""
    assert variables(store, name) == PUBLIC[name]


def test_required_parameters(run):
    from r2pkg.graph.savedqueries import ParameterError

    with pytest.raises(ParameterError):
        run("state-profile", {})
    with pytest.raises(ParameterError):
        run("meeting-recommendations", {"ordinal": "nine"})


# ------------------------------------------------------------------------------------------
# Answers on the fixture graph
# ------------------------------------------------------------------------------------------

def test_meetings(run):
    rows = run("meetings")
    assert [r["ordinal"] for r in rows] == [2, 9, 10]
    m2, m9, m10 = rows
    assert m2 == {
        "meeting": ID + "meeting/annual-meeting-2", "ordinal": 2,
        "startDate": "2012-09-29", "endDate": "2012-09-29", "city": None, "country": None,
        "hosts": "Australia; Denmark; Ghana; Global Centre for the Responsibility to Protect",
        "participantCount": 36, "moreThan": False,
    }
    # the country is inferred from the city; labels from the gazetteer win over the text's
    assert (m9["city"], m9["country"]) == ("Brussels", "Belgium")
    assert m9["hosts"] == "European External Action Service; Global Centre for the Responsibility to Protect"
    assert (m9["participantCount"], m9["moreThan"]) == (45, True)
    # announced, not yet held: no count, so no flag either
    assert (m10["startDate"], m10["city"], m10["country"], m10["hosts"], m10["moreThan"]) == \
        ("2020", "Montevideo", "Uruguay", None, None)


def test_meeting_participants_include_hosts_by_inference(run):
    rows = run("meeting-participants", {"ordinal": "2"})
    assert [(r["state"], r["stateLabel"]) for r in rows] == [
        (ID + "state/australia", "Australia"), (ID + "state/denmark", "Denmark"), (ID + "state/ghana", "Ghana")]
    # organizations take part too, but are not states
    assert [r["stateLabel"] for r in run("meeting-participants", {"ordinal": "9"})] == ["Denmark"]
    assert run("meeting-participants", {"ordinal": "4"}) == []


FOCAL_POINTS = [
    {"member": ID + "state/denmark", "memberLabel": "Denmark", "person": None, "personLabel": None,
     "position": "Under-Secretary for Legal Affairs at the Foreign Ministry of Denmark", "year": 2012, "total": 2},
    {"member": ID + "org/european-union", "memberLabel": "European Union",
     "person": ID + "person/christian-leffler", "personLabel": "Christian Leffler",
     "position": "Deputy Secretary General of the European External Action Service", "year": 2019, "total": 2},
]


def test_focal_points(run):
    assert run("focal-points") == FOCAL_POINTS


def test_focal_points_come_a_page_at_a_time_with_the_total(run):
    """limit and offset choose a window of the rows in their order; total counts them all."""
    assert run("focal-points", {"limit": "1"}) == FOCAL_POINTS[:1]
    assert run("focal-points", {"limit": "1", "offset": "1"}) == FOCAL_POINTS[1:]
    assert run("focal-points", {"offset": "2"}) == []
    assert run("focal-points", {"limit": "0"}) == []


def test_a_page_of_focal_points_is_a_hundred_rows_by_default():
    query = load_saved_queries()["focal-points"]
    assert (query.parameter("limit").default, query.parameter("offset").default) == ("100", "0")


@pytest.mark.parametrize("values, message", [
    ({"limit": "-1"}, "parameter 'limit': '-1' is negative"),
    ({"offset": "1 UNION"}, "parameter 'offset': '1 UNION' is not an integer"),
    ({"limit": "5 } SELECT"}, "parameter 'limit'"),
])
def test_a_page_parameter_is_a_number_of_rows(run, values, message):
    from r2pkg.graph.savedqueries import ParameterError

    with pytest.raises(ParameterError, match=re.escape(message)):
        run("focal-points", values)


def test_network_size_with_its_source(run):
    assert run("network-size") == [
        {"date": "2012", "states": 23, "organizations": None, "source": ID + "document/summary-2012",
         "namedByThen": None, "counts": "named in the texts: 0 of the 23 states stated"},
        {"date": "2019-05-14", "states": 61, "organizations": 2, "source": ID + "document/summary-2019",
         "namedByThen": 1, "counts": "named in the texts: 1 of the 61 states and 2 organizations stated"},
    ]


def test_network_growth(run):
    assert run("network-growth") == [
        {"year": 2012, "states": 23, "organizations": 0, "members": 23, "previousYear": None, "growth": None,
         "namedByThen": None, "counts": "named in the texts: 0 of the 23 members stated"},
        {"year": 2019, "states": 61, "organizations": 2, "members": 63, "previousYear": 2012, "growth": 40,
         "namedByThen": 1, "counts": "named in the texts: 1 of the 63 members stated"},
    ]


def test_role_holders(run):
    assert run("role-holders") == [
        {"person": ID + "person/karen-smith", "personLabel": "Karen Smith",
         "role": "UN Special Adviser on the Responsibility to Protect",
         "organizationLabel": "United Nations", "year": 2019, "title": None},
    ]


def test_situations_by_meeting(run):
    rows = run("situations-by-meeting")
    assert [(r["ordinal"], r["year"], r["situationLabel"], r["placeLabel"]) for r in rows] == [
        (2, 2012, "Syria", "Syria"), (9, 2019, "Myanmar", None), (9, 2019, "Syria", "Syria")]


def test_meetings_by_situation(run):
    syria = ID + "situation/syria"
    rows = run("meetings-by-situation", {"situation": syria})
    assert [(r["situation"], r["ordinal"], r["meetings"]) for r in rows] == [(syria, 2, 2), (syria, 9, 2)]
    everything = run("meetings-by-situation")
    assert [(r["situationLabel"], r["ordinal"]) for r in everything] == [("Myanmar", 9), ("Syria", 2), ("Syria", 9)]
    # a label or slug is looked up within the parameter's class
    assert run("meetings-by-situation", {"situation": "Myanmar"})[0]["situation"] == ID + "situation/myanmar"


def test_mechanisms(run):
    rows = {r["mechanismLabel"]: r for r in run("mechanisms")}
    foa = rows["Framework of Analysis for Atrocity Crimes"]
    assert (foa["kind"], foa["meetings"], foa["meetingCount"], foa["recommendations"]) == \
        ("Early-warning or analysis framework", "9", 1, "9.1")
    manual = rows["Manual for R2P Focal Points"]
    assert (manual["kind"], manual["meetings"], manual["recommendations"], manual["recommendationCount"]) == \
        ("Guidance document or toolkit", None, "9.2", 1)
    assert set(rows) == {"Framework of Analysis for Atrocity Crimes", "Manual for R2P Focal Points"}


def test_meeting_recommendations(run):
    rows = run("meeting-recommendations", {"ordinal": "9"})
    assert [(r["number"], r["names"], r["mechanisms"]) for r in rows] == [
        (1, "Framework of Analysis for Atrocity Crimes", "Framework of Analysis for Atrocity Crimes"),
        (2, "Denmark; Manual for R2P Focal Points", "Manual for R2P Focal Points"),
    ]
    assert rows[0]["text"] == "States should utilize the Framework of Analysis for Atrocity Crimes."
    assert run("meeting-recommendations", {"ordinal": "2"}) == []


def test_recurring_entities(run):
    rows = [(r["entity"], r["kind"], r["meetings"], r["ordinals"]) for r in run("recurring-entities")]
    assert rows == [
        (ID + "org/global-centre-for-the-responsibility-to-protect", "org", 2, "2; 9"),
        (ID + "situation/syria", "situation", 2, "2; 9"),
        (ID + "state/denmark", "state", 2, "2; 9"),
    ]


def test_state_profile_tells_asserted_from_inferred(run):
    rows = run("state-profile", {"state": ID + "state/denmark"})
    by = {(r["direction"], r["property"].removeprefix(R2P), r["value"].removeprefix(ID)): r for r in rows}
    hosted = by[("in", "hostedBy", "meeting/annual-meeting-2")]
    assert (hosted["status"], hosted["sources"], hosted["valueLabel"]) == ("asserted", "summary-2012", "2nd annual meeting")
    assert by[("out", "hosted", "meeting/annual-meeting-2")]["status"] == "inferred"
    assert by[("out", "hosted", "meeting/annual-meeting-2")]["sources"] is None
    # asserted in a document and inferred again: asserted
    assert by[("in", "hasParticipant", "meeting/annual-meeting-9")]["status"] == "asserted"
    assert by[("in", "hasParticipant", "meeting/annual-meeting-2")]["status"] == "inferred"
    assert by[("out", "http://www.w3.org/2004/02/skos/core#prefLabel", "Denmark")]["status"] == "reference"
    assert by[("out", "memberOfGroup", "org/steering-group")]["valueLabel"] == "Steering Group"
    assert by[("in", "focalPointOf", "post/denmark-r2p-focal-point")]["propertyLabel"] == "focal point of"
    # evidence and mentions are not facts about the state
    assert not any(r["property"] == "http://www.w3.org/ns/oa#hasBody" for r in rows)
    assert run("state-profile", {"state": "Denmark"}) == rows


def test_fact_evidence(run):
    post = ID + "post/european-union-r2p-focal-point"
    rows = run("fact-evidence", {"subject": post})
    assert [r["predicate"] for r in rows] == ["http://www.w3.org/ns/org#heldBy", R2P + "positionTitle"]
    held = run("fact-evidence", {"subject": post, "predicate": "http://www.w3.org/ns/org#heldBy"})
    assert held == [{
        "subject": post, "predicate": "http://www.w3.org/ns/org#heldBy", "object": ID + "person/christian-leffler",
        "sentence": "The ninth annual meeting was opened by the Deputy Secretary General of the European External "
                    "Action Service and R2P Focal Point for the EU, Mr. Christian Leffler.",
        "document": ID + "document/summary-2019", "start": 700, "end": 820, "rule": ID + "rule/rule_persons",
    }]
    count = run("fact-evidence", {"subject": ID + "meeting/annual-meeting-2"})
    assert [(r["predicate"], r["object"], r["start"]) for r in count] == [(R2P + "participantCount", 36, 0)]


def test_steering_group(run):
    rows = [(r["groupLabel"], r["memberLabel"], r["year"]) for r in run("steering-group")]
    assert rows == [
        ("Facilitating group", "Denmark", 2012), ("Facilitating group", "Ghana", 2012),
        ("Steering Group", "Denmark", 2019),
        ("Steering Group", "Global Centre for the Responsibility to Protect", 2019),
        ("Steering Group", "Lithuania", 2019),
    ]


def test_announcements(run):
    rows = [(r["agentLabel"], r["intent"], r["year"], r["ordinal"]) for r in run("announcements")]
    assert rows == [("Côte d'Ivoire", "intends", 2012, 2), ("Organization of American States", "appointed", 2019, 9)]


def test_announced_hosts(run):
    assert run("announced-hosts") == [{
        "agent": ID + "state/uruguay", "agentLabel": "Uruguay", "meeting": ID + "meeting/annual-meeting-10",
        "ordinal": 10, "city": "Montevideo", "year": 2020, "announcedAt": 9,
    }]


def test_hosts(run):
    rows = [(r["hostLabel"], r["meetings"], r["ordinals"]) for r in run("hosts")]
    assert rows[0] == ("Global Centre for the Responsibility to Protect", 2, "2; 9")
    assert sorted(rows[1:]) == [("Australia", 1, "2"), ("Denmark", 1, "2"), ("European External Action Service", 1, "9"),
                                ("Ghana", 1, "2")]
