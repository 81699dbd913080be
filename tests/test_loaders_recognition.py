"""Recognition: name variants give one IRI, persons are found by honorific or title, references resolve."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import URIRef

from r2pkg.graph import iris
from r2pkg.loaders import load_document

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@lru_cache(maxsize=None)
def loaded(name: str):
    return load_document(CORPUS / f"{name}.txt")


def load_text(tmp_path: Path, text: str, name: str = "doc.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_document(path)


def mentioned(doc, surface: str) -> set[URIRef]:
    return {m.entity for m in doc.mentions if surface in doc.text[m.span.start:m.span.end]}


STATE = lambda slug: iris.entity("state", slug)  # noqa: E731
ORG = lambda slug: iris.entity("org", slug)  # noqa: E731
PERSON = lambda slug: iris.entity("person", slug)  # noqa: E731


@pytest.mark.parametrize("surface, iri", [
    ("Burma/Myanmar", STATE("myanmar")),
    ("Myanmar", STATE("myanmar")),
    ("The Gambia", STATE("gambia")),
    ("Republic of Korea", STATE("republic-of-korea")),
    ("Côte d'Ivoire", STATE("cote-d-ivoire")),
    ("Cote d'Ivoire", STATE("cote-d-ivoire")),
    ("the United States", STATE("united-states")),
    ("United States of America", STATE("united-states")),
    ("US", STATE("united-states")),
    ("Danish government", STATE("denmark")),
    ("Syrian conflict", STATE("syria")),
    ("EU", ORG("european-union")),
    ("European Union", ORG("european-union")),
    ("EEAS", ORG("european-external-action-service")),
    ("OSAPG", ORG("un-office-on-genocide-prevention-and-the-responsibility-to-protect")),
    ("UN Office on Genocide Prevention and the Responsibility to Protect",
     ORG("un-office-on-genocide-prevention-and-the-responsibility-to-protect")),
    ("ICC", ORG("international-criminal-court")),
    ("Lima Group", ORG("lima-group")),
])
def test_variants_resolve_to_one_iri(tmp_path, surface, iri):
    doc = load_text(tmp_path, f"Annual Meeting\n\nDelegates discussed the {surface} and others at length.\n")
    assert iri in mentioned(doc, surface.split()[-1] if surface.startswith("the ") else surface)


def test_all_un_member_and_observer_states_with_iso_codes():
    import csv
    rows = [r for r in csv.DictReader(l for l in open(CORPUS.parent / "loaders/gazetteers/states.csv") if not l.startswith("#"))]
    assert len([r for r in rows if r["un_status"] == "member"]) == 193
    assert {r["name"] for r in rows if r["un_status"] == "observer"} == {"Holy See", "State of Palestine"}
    assert all(len(r["alpha2"]) == 2 and len(r["alpha3"]) == 3 for r in rows)


def test_persons_with_honorifics_and_titles():
    d2015 = loaded("2015-5th-annual-meeting-madrid")
    for slug in ["ignacio-ybanez-rubio", "francisco-marambio-vial", "jennifer-welsh", "alex-bellamy", "luis-peral",
                 "rita-izsak", "patrick-travers", "lauren-wolfe"]:
        assert PERSON(slug) in {m.entity for m in d2015.mentions}, slug
    d2017 = loaded("2017-7th-annual-meeting-doha")
    for slug in ["stephen-rapp", "susan-benesch", "ahmed-hassan-al-hammadi", "jorn-eiermann", "ivan-simonovic"]:
        assert PERSON(slug) in {m.entity for m in d2017.mentions}, slug
    # Titles are not persons.
    d2012 = loaded("2012-2nd-annual-meeting")
    assert not [m for m in d2012.mentions if m.label == "PERSON"]


@pytest.mark.parametrize("doc, surface, slug", [
    ("2019-9th-annual-meeting-brussels", "Mr. Leffler", "christian-leffler"),
    ("2019-9th-annual-meeting-brussels", "Special Adviser Smith", "karen-smith"),
    ("2019-9th-annual-meeting-brussels", "Dr. Adams", "simon-adams"),
    ("2019-9th-annual-meeting-brussels", "Special Adviser Dieng", "adama-dieng"),
    ("2017-7th-annual-meeting-doha", "Secretary-General Al-Hammadi", "ahmed-hassan-al-hammadi"),
    ("2017-7th-annual-meeting-doha", "Mr. Eiermann", "jorn-eiermann"),
    ("2017-7th-annual-meeting-doha", "Mr. Leffler", "christian-leffler"),
])
def test_references_resolve_within_a_document(doc, surface, slug):
    d = loaded(doc)
    start = d.text.index(surface)
    surname = surface.split()[-1]
    at = start + surface.index(surname)
    hits = [m.entity for m in d.mentions if m.span.start <= at < m.span.end]
    assert hits == [PERSON(slug)]


def test_surname_resolves_across_documents_through_the_persons_file(tmp_path):
    doc = load_text(tmp_path, "Annual Meeting\n\nThe session opened with remarks by Mr. Leffler on early warning.\n")
    assert PERSON("christian-leffler") in {m.entity for m in doc.mentions}


def test_unknown_surname_stays_unresolved(tmp_path):
    doc = load_text(tmp_path, "Annual Meeting\n\nThe session opened with remarks by Mr. Quibblesworth on early warning.\n")
    assert not [m for m in doc.mentions if m.label == "PERSON"]
    assert not [f for f in doc.facts if "quibblesworth" in str(f.subject) + str(f.object)]


def test_pipeline_is_built_once():
    from r2pkg.loaders.nlp import pipeline
    assert pipeline() is pipeline()
