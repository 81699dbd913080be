"""National and organizational practice (rule_practices): a practice is one node with its actors, its kind, what it
produced or concerned, its date and place when the sentence gives them, and the sentence; every part carries that
sentence as evidence, and the node's IRI does not depend on where in the document the practice is told. Each case
is a made-up text in the test's own words."""
from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from r2pkg.graph.vocab import R2P
from r2pkg.loaders import load_document

NEWS = "NEWS ITEM\n\nGovernments report on prevention\n\n"


def load(tmp_path: Path, text: str, name: str = "doc"):
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return load_document(path)


def practices(doc) -> dict[URIRef, dict[str, set[str]]]:
    """practice IRI -> {property local name -> values (IRI slugs, concept names or literal text)}."""
    out: dict[URIRef, dict[str, set[str]]] = {}
    for f in doc.facts:
        if "/practice/" in str(f.subject):
            name = str(f.predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            out.setdefault(f.subject, {}).setdefault(name, set()).add(str(f.object).rsplit("/", 1)[-1].rsplit("#", 1)[-1])
    return out


def only(found: dict) -> dict[str, set[str]]:
    assert len(found) == 1, found
    return next(iter(found.values()))


def test_a_practice_has_its_actors_kind_object_date_place_and_sentence(tmp_path):
    doc = load(tmp_path, NEWS + "In October 2023, the Government of Uruguay sponsored a regional symposium on "
                                "memory and prevention in Montevideo.\n")
    p = only(practices(doc))
    assert p["actor"] == {"uruguay"}
    assert p["practiceKind"] == {"EventHosting"}
    assert p["date"] == {"2023-10"}
    assert p["practicePlace"] == {"montevideo"}
    assert p["produced"] == {"uruguay-regional-symposium"}
    assert p["text"] == {"In October 2023, the Government of Uruguay sponsored a regional symposium on memory and "
                         "prevention in Montevideo."}


def test_every_part_of_a_practice_has_the_sentence_as_evidence(tmp_path):
    text = NEWS + "Zambia created a National Prevention Council in 2021. Its chair reports to parliament.\n"
    doc = load(tmp_path, text)
    parts = [f for f in doc.facts if "/practice/" in str(f.subject)]
    assert {str(f.predicate).rsplit("#", 1)[-1] for f in parts} >= {"actor", "practiceKind", "produced", "date", "text"}
    sentence = "Zambia created a National Prevention Council in 2021."
    assert {doc.text[f.evidence.start:f.evidence.end] for f in parts} == {sentence}


def test_what_it_produced_is_the_mechanism_the_other_rules_found(tmp_path):
    doc = load(tmp_path, NEWS + "In 2019, Ecuador ratified the Arms Trade Treaty after a long debate.\n")
    p = only(practices(doc))
    assert p["concerns"] == {"arms-trade-treaty"}
    assert p["practiceKind"] == {"AgreementSigning"}


def test_a_name_the_text_gives_becomes_the_object(tmp_path):
    doc = load(tmp_path, NEWS + 'The governments of Ghana, Peru and Finland have partnered together to create a '
                                '"convention on the protection of displaced witnesses."\n')
    p = only(practices(doc))
    assert p["actor"] == {"ghana", "peru", "finland"}
    assert p["practiceKind"] == {"InstrumentProposal"}
    assert p["produced"] == {"convention-on-the-protection-of-displaced-witnesses"}


def test_the_iri_does_not_depend_on_where_the_practice_is_told(tmp_path):
    sentence = "Zambia created a National Prevention Council in 2021.\n"
    first = practices(load(tmp_path, NEWS + sentence, "zambia-news"))
    later = practices(load(tmp_path, NEWS + "Officials met in Lusaka last week to review progress.\n\n" + sentence,
                           "zambia-news"))
    assert set(first) == set(later) and len(first) == 1


def test_the_iri_does_not_depend_on_the_order_of_the_actors(tmp_path):
    one = practices(load(tmp_path, NEWS + "The decision of Chile and Canada to refer the situation in Sudan to the "
                                          "International Criminal Court was welcomed.\n", "referral"))
    two = practices(load(tmp_path, NEWS + "The decision of Canada and Chile to refer the situation in Sudan to the "
                                          "International Criminal Court was welcomed.\n", "referral"))
    assert set(one) == set(two) and len(one) == 1
    assert only(one)["concerns"] == {"sudan"}


def test_no_date_is_lent_from_the_page_or_the_next_clause(tmp_path):
    doc = load(tmp_path, "NEWS ITEM, 3 March 2024\n\nThe OAS signed a cooperation agreement with the International "
                         "Criminal Court, and in 2020 it hosted a workshop.\n")
    p = only(practices(doc))
    assert p["actor"] == {"organization-of-american-states"}
    assert "date" not in p


def test_a_pronoun_is_no_actor(tmp_path):
    doc = load(tmp_path, NEWS + "Before the meeting the OAS had a busy year. In 2022 it supported the Fact-Finding "
                                "Mission on Venezuela.\n")
    assert not practices(doc)


def test_hypotheticals_wishes_and_negations_are_no_practice(tmp_path):
    text = NEWS + ("If Canada established a national commission, others would follow. Senegal intends to host a "
                   "workshop next year. Austria has never ratified the treaty. Mongolia could sign the Arms Trade "
                   "Treaty. Some suggested that the Human Rights Council appoint a special rapporteur.\n")
    assert not practices(load(tmp_path, text))


def test_a_practice_is_a_prov_activity_with_a_kind_of_the_scheme():
    from rdflib import Graph
    from rdflib.namespace import PROV, RDF, RDFS, SKOS

    from r2pkg.graph.resources import ONTOLOGY_FILE

    g = Graph().parse(ONTOLOGY_FILE)
    assert (R2P.Practice, RDFS.subClassOf, PROV.Activity) in g
    kinds = set(g.subjects(SKOS.inScheme, R2P.PracticeKinds))
    assert R2P.CourtReferral in kinds and all((k, RDF.type, R2P.PracticeKind) in g for k in kinds)
    from r2pkg.loaders.rules.practices import _verbs

    assert {k.concept for k in _verbs().values()} <= kinds, "a kind of practices.json has no concept in the ontology"
    notations = {str(n) for k in kinds for n in g.objects(k, SKOS.notation)}
    assert {k.kind for k in _verbs().values()} <= notations
