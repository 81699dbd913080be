"""external_triples / unlinked, and the two saved queries over the links they write."""
from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from r2pkg.graph import external as ex
from r2pkg.graph import iris
from r2pkg.graph import store as stores
from r2pkg.graph.resources import QUERIES_DIR
from r2pkg.graph.vocab import ID, R2P

FRANCE = iris.entity("state", "france")
GHANA = iris.entity("state", "ghana")
KIRIBATI = iris.entity("state", "kiribati")
EU = iris.entity("org", "european-union")
SC = iris.entity("org", "security-council")
WELSH = iris.entity("person", "jennifer-welsh")
MADRID = iris.entity("city", "madrid")
ABA = iris.entity("city", "aba")          # a city only the recognition gazetteer lists
UNKNOWN_ORG = iris.entity("org", "no-such-organization")
MEETING = iris.entity("meeting", "annual-meeting-9")


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    for t in ex.external_triples({FRANCE, GHANA, EU, SC, WELSH, MADRID, ABA, UNKNOWN_ORG, MEETING}):
        g.add(t)
    return g


def test_every_state_is_described(graph):
    states = set(graph.subjects(RDF.type, R2P.State))
    assert len(states) == 195
    assert len(set(graph.subjects(RDF.type, ex.UN_MEMBER_STATE))) == 193
    assert set(graph.subjects(RDF.type, ex.UN_OBSERVER_STATE)) == {
        iris.entity("state", "holy-see"), iris.entity("state", "state-of-palestine")}
    for s in states:
        assert graph.value(s, ex.ISO_ALPHA2) and graph.value(s, ex.ISO_ALPHA3) and graph.value(s, ex.ISO_NUMERIC)
        assert graph.value(s, ex.GEO.lat) is not None and graph.value(s, ex.GEO.long) is not None
        assert str(graph.value(s, OWL.sameAs)).startswith("http://www.wikidata.org/entity/Q")


def test_france(graph):
    assert (FRANCE, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q142")) in graph
    assert (FRANCE, SKOS.exactMatch, URIRef("http://dbpedia.org/resource/France")) in graph
    assert (FRANCE, SKOS.exactMatch, URIRef("https://sws.geonames.org/3017382/")) in graph
    assert graph.value(FRANCE, ex.ISO_ALPHA2) == Literal("FR")
    assert graph.value(FRANCE, ex.ISO_ALPHA3) == Literal("FRA")
    assert graph.value(FRANCE, ex.ISO_NUMERIC) == Literal("250")
    weog = graph.value(FRANCE, ex.UN_REGIONAL_GROUP)
    assert weog == iris.entity("org", "un-western-european-and-others-group")
    assert (weog, RDFS.label, Literal("Western European and Others Group", lang="en")) in graph
    assert (weog, SKOS.altLabel, Literal("WEOG", lang="en")) in graph
    assert Decimal(str(graph.value(FRANCE, ex.GEO.lat))) == Decimal("48.85341")   # Paris


def test_labels_only_for_states_the_graph_does_not_name(graph):
    assert graph.value(FRANCE, RDFS.label) is None
    assert graph.value(KIRIBATI, RDFS.label) == Literal("Kiribati", lang="en")


def test_groups(graph):
    groups = set(graph.objects(None, ex.UN_REGIONAL_GROUP))
    assert len(groups) == 5
    assert all((g, RDF.type, R2P.Organization) in graph for g in groups)
    assert graph.value(KIRIBATI, ex.UN_REGIONAL_GROUP) is None
    us = iris.entity("state", "united-states")
    assert graph.value(us, ex.UN_REGIONAL_GROUP) == iris.entity("org", "un-western-european-and-others-group")


def test_other_entities_only_when_present(graph):
    assert (EU, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q458")) in graph
    assert (SC, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q37470")) in graph   # by alias slug
    assert (WELSH, SKOS.exactMatch, URIRef("http://dbpedia.org/resource/Jennifer_Welsh")) in graph
    assert (MADRID, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q2807")) in graph
    assert graph.value(MADRID, ex.GEO.lat) is not None
    assert iris.entity("city", "doha") not in set(graph.subjects())
    assert iris.entity("org", "african-union") not in set(graph.subjects())
    assert UNKNOWN_ORG not in set(graph.subjects()) and MEETING not in set(graph.subjects())


def test_recognition_cities_get_geonames_and_coordinates(graph):
    if not ex.load().by_iri.get(ABA):
        pytest.skip("the recognition gazetteer has no city 'aba'")
    assert (ABA, SKOS.exactMatch, URIRef("https://sws.geonames.org/2353151/")) in graph
    assert graph.value(ABA, OWL.sameAs) is None


def test_links_are_in_their_namespaces(graph):
    for s, p, o in graph:
        if p == OWL.sameAs:
            assert ex.QID_RE.match(str(o).removeprefix("http://www.wikidata.org/entity/"))
        if p == SKOS.exactMatch:
            assert str(o).startswith(("http://dbpedia.org/resource/", "https://sws.geonames.org/"))
            if "geonames" in str(o):
                assert str(o).removeprefix("https://sws.geonames.org/").rstrip("/").isdigit()


def test_unlinked():
    entities = {FRANCE, EU, WELSH, MADRID, UNKNOWN_ORG, MEETING,
                iris.entity("org", "un-african-group"), iris.entity("mechanism", "arms-trade-treaty")}
    assert ex.unlinked(entities) == [UNKNOWN_ORG, WELSH]


def test_unlinked_in_a_table_copy(tmp_path):
    import shutil

    shutil.copytree(ex.EXTERNAL_DIR, tmp_path / "external")
    path = tmp_path / "external" / ex.STATES_FILE
    path.write_text(path.read_text().replace("GHA,Ghana,Q117,", "GHA,Ghana,,"))
    data = ex.load(tmp_path / "external")
    assert ex.unlinked({GHANA, FRANCE}, data=data) == [GHANA]
    assert (GHANA, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q117")) not in set(
        ex.external_triples({GHANA}, data=data))


# --- the saved queries ------------------------------------------------------------------------------------

def _store_with_members(members_by_focal_point, members_by_type) -> ox.Store:
    store = ox.Store()
    present = set(members_by_focal_point) | set(members_by_type)
    stores.add_triples(store, ex.EXTERNAL_GRAPH, ex.external_triples(present))
    doc = "https://w3id.org/r2pkg/graph/document/test"
    triples = []
    for i, state in enumerate(members_by_focal_point):
        post = URIRef(f"{ID}post/focal-point-{i}")
        triples += [(post, R2P.focalPointOf, state) if i % 2 else (state, R2P.hasFocalPoint, post),
                    (state, RDFS.label, Literal(str(state).rsplit("/", 1)[-1].title(), lang="en"))]
    for state in members_by_type:
        triples += [(state, RDF.type, R2P.NetworkMember),
                    (state, RDFS.label, Literal(str(state).rsplit("/", 1)[-1].title(), lang="en"))]
    stores.add_triples(store, doc, triples)
    return store


def _run(store: ox.Store, name: str) -> list[dict]:
    result = store.query((QUERIES_DIR / f"{name}.rq").read_text(), use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def test_members_by_regional_group():
    store = _store_with_members([FRANCE, GHANA, iris.entity("state", "denmark")],
                                [iris.entity("state", "costa-rica"), iris.entity("state", "united-states"),
                                 KIRIBATI])
    rows = _run(store, "members-by-regional-group")
    assert list(rows[0])[:4] == ["group", "groupLabel", "members", "memberLabels"]   # extended, never renamed
    assert rows[0]["namedInTexts"] == "6"   # Kiribati too: named, in no group
    assert rows[0]["counts"].startswith("named in the texts: 3 of this group; 6 in all")
    by_label = {r["groupLabel"]: r for r in rows}
    assert set(by_label) == {"African Group", "Asia-Pacific Group", "Eastern European Group",
                             "Latin American and Caribbean Group", "Western European and Others Group"}
    weog = by_label["Western European and Others Group"]
    assert weog["members"] == "3" and weog["memberLabels"] == "Denmark; France; United-States"
    assert by_label["African Group"]["memberLabels"] == "Ghana"
    assert by_label["Asia-Pacific Group"]["members"] == "0"      # Kiribati is in no group
    assert rows[0]["groupLabel"] == "Western European and Others Group"


def test_regional_share():
    store = _store_with_members([FRANCE, GHANA], [iris.entity("state", "costa-rica")])
    rows = {r["groupLabel"]: r for r in _run(store, "regional-share")}
    weog = rows["Western European and Others Group"]
    assert (weog["statesInGroup"], weog["membersInGroup"]) == ("29", "1")
    assert Decimal(weog["share"]) == Decimal("0.034")
    assert rows["African Group"]["statesInGroup"] == "54"
    assert rows["Eastern European Group"]["membersInGroup"] == "0"
    assert sum(int(r["statesInGroup"]) for r in rows.values()) == 192


@pytest.mark.parametrize("name", ["members-by-regional-group", "regional-share"])
def test_saved_query_metadata(name):
    savedqueries = pytest.importorskip("r2pkg.graph.savedqueries")
    q = savedqueries.parse_saved_query(QUERIES_DIR / f"{name}.rq")
    assert q.summary and q.description and "regions" in q.tags
