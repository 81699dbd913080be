"""OWL 2 RL inference (graph/reasoning.py): the compiled SPARQL rules against owlrl, and the
behaviours the graph relies on, named one per test."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, OWL, RDF, RDFS, SKOS

from r2pkg.graph.reasoning import (
    Reasoner,
    UnsupportedAxiom,
    check_consistency,
    compile_schema,
    infer,
    load_ontology,
    owlrl_inferences,
)

FIXTURES = Path(__file__).parent / "fixtures" / "reasoning"
R2P = Namespace("https://w3id.org/r2pkg/ontology#")
ID = Namespace("https://w3id.org/r2pkg/id/")
SCHEMA = Namespace("https://schema.org/")

MEETING7 = ID["meeting/7th-annual-meeting"]
MEETING9 = ID["meeting/9th-annual-meeting"]
QATAR, GHANA, DENMARK, BELGIUM = (ID[f"state/{s}"] for s in ("qatar", "ghana", "denmark", "belgium"))


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def facts() -> Graph:
    return Graph().parse(FIXTURES / "facts.ttl")


@pytest.fixture(scope="module")
def inferred(facts, ontology) -> set:
    return infer(facts, ontology)


# --- the reference ---------------------------------------------------------------------------

def test_rules_infer_exactly_what_owlrl_infers(facts, ontology, inferred):
    reference = owlrl_inferences(facts, ontology)
    assert inferred - reference == set(), "inferred by the rules only"
    assert reference - inferred == set(), "inferred by owlrl only"
    assert len(inferred) > 200


def test_rules_pick_up_axioms_the_bundled_ontology_does_not_use(ontology):
    """Rules are generated from the axioms: symmetric and equivalent properties, a longer chain,
    hasValue, allValuesFrom, intersections, unions and someValuesFrom owl:Thing all work."""
    extra = Graph().parse(data="""
        @prefix r2p: <https://w3id.org/r2pkg/ontology#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix ex: <http://example.org/> .
        ex:neighbourOf a owl:ObjectProperty, owl:SymmetricProperty .
        ex:borders owl:equivalentProperty ex:neighbourOf .
        ex:hostNeighbour owl:propertyChainAxiom ( r2p:heldInCity r2p:cityOf ex:neighbourOf ) .
        ex:Host owl:equivalentClass [ a owl:Restriction ; owl:onProperty r2p:hosted ;
                                      owl:someValuesFrom owl:Thing ] .
        ex:Founder owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:role ;
                                         owl:hasValue ex:founding ] .
        [ a owl:Restriction ; owl:onProperty r2p:hasSession ; owl:allValuesFrom ex:PlenarySession ]
            rdfs:subClassOf [ owl:intersectionOf ( r2p:Meeting ex:Plenary ) ] .
        ex:Plenary rdfs:subClassOf [ a owl:Restriction ; owl:onProperty r2p:hasSession ;
                                     owl:allValuesFrom ex:PlenarySession ] .
        ex:HostingFounder owl:intersectionOf ( ex:Host ex:Founder ) .
        ex:Notable owl:unionOf ( ex:HostingFounder ex:Plenary ) .
    """, format="turtle")
    facts = Graph().parse(data="""
        @prefix r2p: <https://w3id.org/r2pkg/ontology#> .
        @prefix ex: <http://example.org/> .
        @prefix id: <https://w3id.org/r2pkg/id/> .
        <https://w3id.org/r2pkg/id/meeting/m1> r2p:heldInCity <https://w3id.org/r2pkg/id/city/c1> ;
            r2p:hostedBy <https://w3id.org/r2pkg/id/state/s1> ; a ex:Plenary ;
            r2p:hasSession <https://w3id.org/r2pkg/id/session/s1> .
        <https://w3id.org/r2pkg/id/city/c1> r2p:cityOf <https://w3id.org/r2pkg/id/state/s1> .
        <https://w3id.org/r2pkg/id/state/s2> ex:borders <https://w3id.org/r2pkg/id/state/s1> .
        <https://w3id.org/r2pkg/id/state/s1> ex:role ex:founding .
    """, format="turtle")
    combined = ontology + extra
    ours = infer(facts, combined)
    assert ours == owlrl_inferences(facts, combined)
    ex = Namespace("http://example.org/")
    assert (ID["meeting/m1"], ex.hostNeighbour, ID["state/s2"]) in ours
    assert (ID["state/s1"], RDF.type, ex.HostingFounder) in ours
    assert (ID["state/s1"], RDF.type, ex.Notable) in ours
    assert (ID["session/s1"], RDF.type, ex.PlenarySession) in ours


def test_schema_closure_matches_owlrl_on_the_ontology(ontology):
    """compile_schema's class hierarchy (scm-sco, scm-eqc) is owlrl's, for the named classes."""
    import owlrl

    closed = Graph()
    for t in ontology:
        closed.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    schema = compile_schema(ontology)
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if isinstance(cls, BNode):
            continue
        expected = {d for d in closed.objects(cls, RDFS.subClassOf)
                    if isinstance(d, URIRef) and d not in (cls, OWL.Thing)}
        ours = {d for d in schema.class_supers.get(cls, ()) if not str(d).startswith("urn:")}
        assert ours == expected, cls


def test_infer_takes_plain_iterables(facts, ontology, inferred):
    assert infer(iter(list(facts)), iter(list(ontology))) == inferred


def test_reasoner_is_reusable_and_reports_its_run(facts, ontology, inferred):
    reasoner = Reasoner(ontology)
    assert reasoner.infer(facts) == inferred
    assert reasoner.infer(facts) == inferred
    assert reasoner.stats.rounds >= 2
    assert reasoner.stats.per_rule["prp-spo2"] > 0


# --- what inference adds: named behaviours --------------------------------------------------

def test_a_host_is_a_participant(inferred):
    assert (MEETING7, R2P.hasParticipant, QATAR) in inferred
    assert (QATAR, R2P.participatedIn, MEETING7) in inferred
    assert (QATAR, R2P.hosted, MEETING7) in inferred
    assert (MEETING7, SCHEMA.attendee, QATAR) in inferred
    assert (MEETING7, SCHEMA.organizer, QATAR) in inferred


def test_a_meeting_held_in_a_city_of_a_state_is_held_in_that_state(inferred):
    assert (MEETING7, R2P.heldInCountry, QATAR) in inferred       # the chain heldInCity/cityOf
    assert (MEETING7, R2P.heldIn, QATAR) in inferred
    assert (MEETING7, R2P.heldIn, ID["city/doha"]) in inferred    # heldInCity is a heldIn
    assert (MEETING9, R2P.heldInCountry, BELGIUM) in inferred


def test_held_in_follows_located_in_transitively(inferred):
    for place in (BELGIUM, ID["region/western-europe"], ID["region/europe"]):
        assert (MEETING9, R2P.heldIn, place) in inferred
    assert (ID["city/brussels"], R2P.locatedIn, ID["region/europe"]) in inferred
    assert (ID["region/flanders-brabant"], R2P.locatedIn, ID["region/europe"]) in inferred


def test_the_holder_of_a_focal_point_post_represents_the_state(inferred):
    person = ID["person/kwame-mensah"]
    assert (person, ORG.holds, ID["post/ghana-focal-point"]) in inferred
    assert (person, R2P.represents, GHANA) in inferred
    assert (person, RDF.type, R2P.Person) in inferred


def test_a_state_with_a_focal_point_post_is_a_network_member(inferred):
    assert (GHANA, RDF.type, R2P.NetworkMember) in inferred
    assert (DENMARK, RDF.type, R2P.NetworkMember) in inferred           # stated from the post's side
    assert (ID["org/european-union"], RDF.type, R2P.NetworkMember) in inferred  # post typed by range
    assert (QATAR, RDF.type, R2P.NetworkMember) not in inferred


def test_inverses_hold_both_ways(inferred):
    assert (ID["post/ghana-focal-point"], R2P.focalPointOf, GHANA) in inferred
    assert (DENMARK, R2P.hasFocalPoint, ID["post/denmark-focal-point"]) in inferred
    assert (ID["person/ivan-simonovic"], R2P.holdsRole,
            ID["role-assignment/special-adviser-2017"]) in inferred
    assert (ID["situation/syria"], R2P.discussedAt, MEETING7) in inferred
    assert (ID["recommendation/7th-annual-meeting-1"], R2P.recommendationOf, MEETING7) in inferred
    assert (ID["org/ghana-ministry-of-foreign-affairs"], R2P.hasPart,
            ID["org/ghana-legal-directorate"]) in inferred


def test_group_membership_makes_a_member_of_the_group(inferred):
    group = ID["org/steering-group"]
    assert (GHANA, R2P.hasGroupMembership, ID["membership/steering-group-ghana-2019"]) in inferred
    assert (GHANA, R2P.memberOfGroup, group) in inferred
    assert (DENMARK, R2P.memberOfGroup, group) in inferred
    assert (group, RDF.type, R2P.CoordinationGroup) in inferred


def test_domains_and_ranges_type_the_nodes(inferred):
    expected = [
        (ID["city/doha"], R2P.City), (ID["city/doha"], R2P.Place),
        (ID["post/eu-focal-point"], R2P.FocalPointPost), (ID["post/eu-focal-point"], ORG.Post),
        (ID["situation/syria"], R2P.AtrocitySituation), (ID["situation/syria"], SKOS.Concept),
        (ID["role/special-adviser-on-r2p"], R2P.Role),
        (ID["membership/steering-group-ghana-2019"], R2P.GroupMembership),
        (ID["recommendation/7th-annual-meeting-1"], R2P.Recommendation),
        (ID["session/7th-annual-meeting-1"], R2P.Session),
        (ID["mechanism/iiim-syria"], R2P.Mechanism),
        (ID["announcement/7th-annual-meeting-ghana"], R2P.AppointmentAnnouncement),
        (MEETING7, R2P.Meeting), (QATAR, R2P.Agent), (QATAR, R2P.Place),
    ]
    missing = [pair for pair in expected if (pair[0], RDF.type, pair[1]) not in inferred]
    assert missing == []


def test_part_of_is_transitive(inferred):
    assert (ID["org/ghana-legal-directorate"], R2P.partOf, GHANA) in inferred


# --- what inference leaves out --------------------------------------------------------------

def test_the_input_is_not_repeated(facts, ontology, inferred):
    assert inferred.isdisjoint(set(facts))
    assert inferred.isdisjoint(set(ontology))


def test_trivial_and_ontology_level_triples_are_left_out(ontology, inferred):
    classes_and_properties = set(ontology.subjects(RDF.type, OWL.Class)) | \
        set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    for s, p, o in inferred:
        assert not isinstance(s, (BNode, Literal)) and not isinstance(o, BNode)
        assert p not in (OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass)
        assert (p, o) != (RDF.type, OWL.Thing)
        assert not (p == RDF.type and str(o).startswith(str(OWL)))
        assert s not in classes_and_properties


def test_individuals_the_ontology_names_get_their_instance_level_types(inferred):
    # owlrl keeps these too: r2p:WarCrimes is an AtrocityCrime, hence a skos:Concept.
    assert (R2P.WarCrimes, RDF.type, SKOS.Concept) in inferred


# --- unsupported constructs and consistency ---------------------------------------------------

def test_axioms_that_entail_same_as_are_refused(ontology):
    functional = ontology + Graph().parse(
        data="<https://w3id.org/r2pkg/ontology#cityOf> a <http://www.w3.org/2002/07/owl#FunctionalProperty> .",
        format="turtle")
    with pytest.raises(UnsupportedAxiom, match="FunctionalProperty"):
        Reasoner(functional)


def test_consistent_facts_report_nothing(facts, ontology, inferred):
    assert check_consistency(facts, ontology, inferred) == []


def test_a_person_that_is_also_an_organization_is_reported(facts, ontology):
    bad = facts + Graph().parse(data="""
        <https://w3id.org/r2pkg/id/person/kwame-mensah> a <https://w3id.org/r2pkg/ontology#GovernmentBody> .
        <https://w3id.org/r2pkg/id/meeting/7th-annual-meeting> <https://w3id.org/r2pkg/ontology#hasFocalPoint>
            <https://w3id.org/r2pkg/id/post/x> .
    """, format="turtle")
    messages = check_consistency(bad, ontology)
    assert messages == [
        "<https://w3id.org/r2pkg/id/meeting/7th-annual-meeting> is both r2p:Meeting and r2p:Agent, "
        "which are disjoint classes (owl:disjointWith)",
        "<https://w3id.org/r2pkg/id/person/kwame-mensah> is both r2p:Person and r2p:Organization, "
        "which are disjoint classes (owl:disjointWith)",
    ]


def test_a_kept_closure_reports_the_inconsistencies_its_facts_have(facts, ontology, tmp_path):
    """The build checks the closure it keeps on disk rather than a second store of facts and inferences."""
    bad = facts + Graph().parse(data="""
        <https://w3id.org/r2pkg/id/person/kwame-mensah> a <https://w3id.org/r2pkg/ontology#GovernmentBody> .
        <https://w3id.org/r2pkg/id/meeting/7th-annual-meeting> <https://w3id.org/r2pkg/ontology#hasFocalPoint>
            <https://w3id.org/r2pkg/id/post/x> .
    """, format="turtle")
    reasoner = Reasoner(ontology)
    reasoner.infer(bad, keep=tmp_path / "closure")
    kept = reasoner.check_store(ox.Store.read_only(str(tmp_path / "closure")))
    assert kept == check_consistency(bad, ontology)
    assert len(kept) == 2 and "kwame-mensah> is both r2p:Person and r2p:Organization" in kept[1]
    reasoner.infer(facts, keep=tmp_path / "consistent")
    assert reasoner.check_store(ox.Store.read_only(str(tmp_path / "consistent"))) == []


def test_inference_continued_from_a_kept_closure_equals_inference_on_all_facts(facts, ontology, inferred, tmp_path):
    """What `r2pkg add` relies on: the closure kept by one reasoner, continued with more facts by another
    (the ontology parsed again, so its blank nodes have other ids), gives what one run on all facts gives."""
    triples = sorted(facts)
    first, later = triples[::2], triples[1::2]           # every join has premises on both sides
    kept = tmp_path / "closure"
    before = Reasoner(ontology).infer(first, keep=kept)
    assert kept.is_dir() and before != inferred

    reasoner = Reasoner(load_ontology())
    added = reasoner.to_rdflib(reasoner.continue_closure(kept, [tuple_to_ox(t) for t in later]))
    assert (before - set(later)) | added == inferred
    assert reasoner.continue_closure(kept, [tuple_to_ox(t) for t in later]) == []   # the closure was updated


def tuple_to_ox(triple):
    import pyoxigraph as ox

    from r2pkg.graph.store import to_ox
    return ox.Triple(*(to_ox(term) for term in triple))


def _closure(path: Path) -> set[str]:
    import pyoxigraph as ox

    return {str(ox.Triple(q.subject, q.predicate, q.object)) for q in ox.Store.read_only(str(path))}


@pytest.mark.parametrize("step", [2, 3, 7])
def test_facts_taken_from_a_kept_closure_leave_what_inference_on_the_rest_keeps(facts, ontology, tmp_path, step):
    """What `r2pkg review apply` relies on (delete and re-derive): a closure kept with every fact, less
    some of them, holds exactly what a closure kept from the others holds, though many of the triples
    the removed facts gave also follow from the others."""
    triples = sorted(facts)
    rest = [t for i, t in enumerate(triples) if i % step]
    gone = [t for i, t in enumerate(triples) if not i % step]
    kept = tmp_path / "kept"
    Reasoner(ontology).infer(triples, keep=kept)
    Reasoner(ontology).infer(rest, keep=tmp_path / "expected")

    reasoner = Reasoner(load_ontology())
    stated = {tuple_to_ox(t) for t in rest}
    left, entered = reasoner.change_closure(kept, [tuple_to_ox(t) for t in gone], [], stated.__contains__)
    assert _closure(kept) == _closure(tmp_path / "expected")
    assert left and not entered


def test_a_kept_closure_changed_both_ways_holds_what_inference_on_the_new_facts_keeps(facts, ontology, tmp_path):
    triples = sorted(facts)
    before, after = triples[: len(triples) * 2 // 3], triples[len(triples) // 3:]
    kept = tmp_path / "kept"
    Reasoner(ontology).infer(before, keep=kept)
    Reasoner(ontology).infer(after, keep=tmp_path / "expected")

    reasoner = Reasoner(load_ontology())
    stated = {tuple_to_ox(t) for t in after}
    reasoner.change_closure(kept, [tuple_to_ox(t) for t in before if t not in set(after)],
                            [tuple_to_ox(t) for t in after], stated.__contains__)
    assert _closure(kept) == _closure(tmp_path / "expected")


# --- the facts streamed through the one-premise rules, the joins on what they can match -------------

def _as_input(triples) -> list:
    from r2pkg.graph.reasoning import INPUT_GRAPH

    return [ox.Quad(*tuple_to_ox(t), INPUT_GRAPH) for t in triples]


def test_a_kept_closure_holds_what_the_sparql_rules_reach_from_facts_and_ontology(facts, ontology, tmp_path):
    """What `r2pkg add` and `review apply` continue: the facts streamed by once, each closed alone by the
    one-premise rules and only the joins' premises held, give every triple the rules reach when all of
    the facts are held together (out of scope ones too: they feed later joins)."""
    reasoner = Reasoner(ontology)
    reasoner.infer(facts, keep=tmp_path / "kept")
    everything = ox.Store()
    everything.extend(_as_input([*facts, *reasoner.schema.ontology]))
    reasoner.run(everything)
    assert _closure(tmp_path / "kept") == {str(ox.Triple(q.subject, q.predicate, q.object)) for q in everything}


def test_the_order_the_facts_stream_in_changes_nothing(facts, ontology, inferred):
    """A chain's links, a transitive property's steps and a restriction's premises may come far apart."""
    assert infer(sorted(facts, reverse=True), ontology) == inferred
    assert infer(sorted(facts, key=lambda t: (t[1], t[2])), ontology) == inferred


def test_the_build_gets_the_inferences_as_sorted_ntriples(facts, ontology, inferred):
    reasoner = Reasoner(ontology)
    lines = reasoner.infer_lines(tuple_to_ox(t) for t in facts)
    assert lines == sorted(lines) and len(lines) == len(set(lines)) == len(inferred)
    assert set(lines) == {str(tuple_to_ox(t)) for t in inferred}
