"""Themes and labels for every client (issue 12).

* The scheme of themes (loaders/gazetteers/themes.json) is reviewed data: every theme defined once, the pillars
  and crimes by the ontology's own individuals, the fourteen risk factors of the UN Framework of Analysis for
  Atrocity Crimes (2014) by their public names, each cue saying one theme.
* Sentences are tagged with the themes they discuss; a theme's page and the saved query theme-across-meetings list
  what was said about it, meeting by meeting.
* Every entity has an rdfs:label beside its skos:prefLabel, both in English, the states of the gazetteer too.
"""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from r2pkg.graph.resources import ONTOLOGY_FILE
from r2pkg.graph.vocab import ID, R2P
from r2pkg.loaders import load_document
from r2pkg.loaders.themes import SCHEME, cues_in, fold_cue, scheme_triples, themes

TOPIC = f"{ID}topic/"

# The risk factors of the UN Framework of Analysis for Atrocity Crimes (2014), in its order.
RISK_FACTORS = [
    "Situations of armed conflict or other forms of instability",
    "Record of serious violations of international human rights and humanitarian law",
    "Weakness of State structures",
    "Motives or incentives",
    "Capacity to commit atrocity crimes",
    "Absence of mitigating factors",
    "Enabling circumstances or preparatory action",
    "Triggering factors",
    "Intergroup tensions or patterns of discrimination against protected groups",
    "Signs of an intent to destroy in whole or in part a protected group",
    "Signs of a widespread or systematic attack against any civilian population",
    "Signs of a plan or policy to attack any civilian population",
    "Serious threats to those protected under international humanitarian law",
    "Serious threats to humanitarian or peacekeeping operations",
]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


# ------------------------------------------------------------------------------------------
# The scheme
# ------------------------------------------------------------------------------------------

def test_each_theme_is_defined_once_with_its_names_and_definition(ontology):
    slugs = [t.slug for t in themes()]
    assert len(slugs) == len(set(slugs))
    for t in themes():
        if str(t.iri).startswith(str(R2P)):
            # a pillar or a crime: the ontology's individual, labelled and commented there, not here
            assert t.label is None and t.definition is None, t.slug
            assert (t.iri, RDF.type, OWL.NamedIndividual) in ontology and (t.iri, SKOS.prefLabel, None) in ontology
        else:
            assert str(t.iri) == TOPIC + t.slug
            assert t.label and t.definition and t.cues, t.slug
        assert t.broader is None or t.broader in slugs


def test_the_pillars_crimes_and_fields_of_practice_are_in_the_scheme():
    iris = {t.iri for t in themes()}
    assert {R2P.PillarI, R2P.PillarII, R2P.PillarIII, R2P.Genocide, R2P.WarCrimes, R2P.EthnicCleansing,
            R2P.CrimesAgainstHumanity} <= iris
    labels = {t.label for t in themes()}
    assert {"Women, Peace and Security", "Early warning", "Accountability", "Hate speech and incitement",
            "Atrocity prevention", "Civil society"} <= labels


def test_the_fourteen_risk_factors_by_their_public_names():
    factors = [t for t in themes() if t.broader == "risk-factors"]
    assert [t.label for t in factors] == RISK_FACTORS
    assert [int(re.match(r"risk-factor-(\d+)-", t.slug).group(1)) for t in factors] == list(range(1, 15))


def test_each_cue_says_one_theme_and_is_a_phrase_of_words():
    seen: dict[str, str] = {}
    for t in themes():
        for cue in t.cues:
            assert re.fullmatch(r"[A-Za-z][\w ,'’&-]*", cue), cue
            assert seen.setdefault(fold_cue(cue), t.slug) == t.slug, f"{cue!r} says {seen[fold_cue(cue)]} and {t.slug}"


def test_cues_are_whole_words_in_any_case():
    found = {(text, str(iri).rsplit("/", 1)[-1]) for s, e, iri in cues_in("EARLY WARNING before the incitements")
             for text in ["EARLY WARNING before the incitements"[s:e]]}
    assert found == {("EARLY WARNING", "early-warning")}    # "incitements" is not "incitement"


def test_a_theme_comes_with_the_themes_above_it():
    triples = set(scheme_triples([URIRef(TOPIC + "risk-factor-9-intergroup-tensions-or-discrimination")]))
    factor, parent = URIRef(TOPIC + "risk-factor-9-intergroup-tensions-or-discrimination"), URIRef(TOPIC + "risk-factors")
    label = Literal(RISK_FACTORS[8], lang="en")
    assert {(factor, SKOS.prefLabel, label), (factor, RDFS.label, label), (factor, SKOS.inScheme, SCHEME),
            (factor, SKOS.broader, parent), (factor, SKOS.notation, Literal(factor.rsplit("/", 1)[-1])),
            (parent, SKOS.topConceptOf, SCHEME), (parent, RDF.type, R2P.Topic)} <= triples
    assert any(p == SKOS.definition and o.language == "en" for s, p, o in triples if s == factor)


def test_a_pillar_joins_the_scheme_under_its_own_iri_without_new_labels():
    triples = set(scheme_triples([R2P.PillarII, URIRef(f"{ID}state/ghana")]))
    assert triples == {(R2P.PillarII, SKOS.inScheme, SCHEME), (R2P.PillarII, SKOS.notation, Literal("pillar-ii")),
                       (R2P.PillarII, SKOS.topConceptOf, SCHEME)}


# ------------------------------------------------------------------------------------------
# Labels any rule writes
# ------------------------------------------------------------------------------------------

def test_every_label_a_document_gives_is_english_with_an_rdfs_label(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Summary of the Sixth Annual Meeting\n\nThe sixth annual meeting was hosted by Uruguay in "
                    "Montevideo, Uruguay, on 11 and 12 June 2016. Ms. Lotta Virtanen, Director of the UN Office "
                    "for Border Affairs, spoke on early warning.\n\nSESSION I: LESSONS FROM THE FIELD\n\nDelegates "
                    "from the UK and Chile took part.\n", encoding="utf-8")
    facts = load_document(path).facts
    labels = [f for f in facts if f.predicate in (SKOS.prefLabel, SKOS.altLabel, RDFS.label)]
    assert labels and all(f.object.language == "en" for f in labels)
    pref = {(f.subject, f.object) for f in facts if f.predicate == SKOS.prefLabel}
    assert pref <= {(f.subject, f.object) for f in facts if f.predicate == RDFS.label}
    assert (URIRef(f"{ID}state/united-kingdom"), SKOS.altLabel, Literal("UK", lang="en")) in \
        {(f.subject, f.predicate, f.object) for f in facts}


# ------------------------------------------------------------------------------------------
# The bundled build
# ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built_store(built_data_dir):
    from r2pkg.graph.store import open_store

    return open_store(built_data_dir)


def select(store, text: str) -> list[dict]:
    from r2pkg.graph.store import dataset_options
    from r2pkg.graph.vocab import sparql_prologue

    return [{v.value: row[v.value] for v in result.variables}
            for result in [store.query(sparql_prologue() + text, **dataset_options(store))] for row in result]


def test_every_entity_has_an_rdfs_label_and_a_tagged_pref_label(built_store):
    """Every subject typed with an r2p class (the evidence classes aside: they are spans of a text, not entities),
    the states of the gazetteer and of the external tables included."""
    missing = select(built_store, """
        SELECT DISTINCT ?s ?class WHERE {
          ?s a ?class .
          FILTER(isIRI(?s) && STRSTARTS(STR(?class), STR(r2p:)) && ?class NOT IN (r2p:Evidence, r2p:Sentence, r2p:Mention))
          FILTER(NOT EXISTS { ?s rdfs:label ?l FILTER(LANG(?l) != "") }
                 || NOT EXISTS { ?s skos:prefLabel ?p FILTER(LANG(?p) != "") })
        }""")
    assert missing == []
    states = select(built_store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a r2p:State ; skos:prefLabel ?l }")
    assert int(states[0]["n"].value) >= 190                  # every state the tables know, named in a text or not
    untagged = select(built_store, """
        SELECT ?s ?l WHERE { ?s skos:prefLabel|skos:altLabel|rdfs:label ?l FILTER(isLiteral(?l) && LANG(?l) = "") }
        LIMIT 5""")
    assert untagged == []


def test_the_themes_the_summaries_discuss_are_concepts_of_the_scheme(built_store):
    rows = select(built_store, """
        SELECT DISTINCT ?theme ?label WHERE {
          ?sentence r2p:discussesTheme ?theme . ?theme skos:inScheme r2p:Themes ; skos:prefLabel ?label .
          ?sentence a r2p:Sentence .
        }""")
    themes_seen = {r["theme"].value for r in rows}
    assert {TOPIC + "early-warning", TOPIC + "hate-speech-and-incitement", TOPIC + "women-peace-and-security",
            str(R2P.Genocide), str(R2P.PillarII)} <= themes_seen


def test_theme_across_meetings_lists_each_meeting_in_order_with_narrower_themes(built_store):
    from r2pkg.graph.savedqueries import run_saved

    rows = run_saved(built_store, "theme-across-meetings", {"theme": "Risk factors for atrocity crimes"})
    years = [r["year"] for r in rows]
    assert years == sorted(years) and {2015, 2019} <= set(years)
    assert all(r["meeting"].startswith(f"{ID}meeting/annual-meeting-") for r in rows)
    tagged = {r["sentenceTheme"] for r in rows}
    assert TOPIC + "risk-factors" in tagged and TOPIC + "risk-factor-9-intergroup-tensions-or-discrimination" in tagged
    nine = [r for r in rows if "lists 14 risk factors" in r["text"]]
    assert [r["meetingLabel"] for r in nine] == ["Ninth Annual Meeting of the Global Network of R2P Focal Points"]
    assert nine[0]["sentence"] == f"{nine[0]['document']}#char={nine[0]['start']},{nine[0]['end']}"


# ------------------------------------------------------------------------------------------
# The theme pages
# ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built_client(built_data_dir):
    from r2pkg.webapp import create_app

    return create_app({"TESTING": True, "DATA_DIR": str(built_data_dir)}).test_client()


def test_the_scheme_page_lists_the_themes_with_their_narrower_ones(built_client):
    html = built_client.get("/theme").get_data(as_text=True)
    assert 'href="/theme/early-warning"' in html and 'href="/theme/genocide"' in html
    risk = html.index('href="/theme/risk-factors"')
    assert risk < html.index('href="/theme/risk-factor-9-intergroup-tensions-or-discrimination"')


def test_a_theme_page_lists_what_was_said_meeting_by_meeting(built_client):
    response = built_client.get("/theme/early-warning")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    meetings = re.findall(r'<h3><a href="/page/meeting/annual-meeting-(\d+)">', html)
    assert meetings == ["2", "5", "9"]
    assert "translate early warning into timely action" in html
    assert re.search(r'href="/document/2019-9th-annual-meeting-brussels#char=\d+,\d+"', html)
    assert 'href="/queries/theme-across-meetings?theme=https' in html


def test_a_theme_page_of_a_crime_and_an_unknown_theme(built_client):
    html = built_client.get("/theme/genocide").get_data(as_text=True)
    assert "Acts committed with intent to destroy" in html        # the ontology's comment is its definition
    assert built_client.get("/theme/no-such-theme").status_code == 404


def test_an_entity_page_of_a_theme_links_to_its_theme_page(built_client):
    html = built_client.get("/page/topic/hate-speech-and-incitement").get_data(as_text=True)
    assert 'href="/theme/hate-speech-and-incitement"' in html
    assert 'href="/theme/' not in built_client.get("/page/state/ghana").get_data(as_text=True).split("<main", 1)[1]


def test_the_cue_trie_finds_what_the_plain_alternation_finds():
    """word_trie is an optimisation of word_alternation for long lists: the same matches, in the same places."""
    from r2pkg.graph.resources import CORPUS_DIR
    from r2pkg.loaders.wordlists import word_alternation, word_trie

    cues = {c for t in themes() for c in t.cues} | {"war", "war crimes", "warning"}
    trie = re.compile(word_trie(cues) + r"(?![\w-])")
    plain = re.compile(word_alternation(cues, ignore_case=True) + r"(?![\w-])")
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS_DIR.glob("*.txt"))]
    texts.append("War crimes, WARNING signs and a warring party; early-warning, pre-war and war-crimes.")
    for text in texts:
        assert [(m.start(), m.group(0)) for m in trie.finditer(text)] == \
            [(m.start(), m.group(0)) for m in plain.finditer(text)]
