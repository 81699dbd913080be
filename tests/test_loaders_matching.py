"""The loaders' faster pipeline parts give exactly what the spaCy parts they replace give.

TokenMatcher stands in for spaCy's Matcher, ArraySentencizer for its Sentencizer, GazetteerRuler for its
EntityRuler, and the tokenizer's cache is filled ahead of each document: all must be invisible in the
results, including match order (the entity ruler and the person rules break ties by it).
"""
from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import pytest
import spacy
from rdflib import Literal, URIRef
from spacy.matcher import Matcher

from r2pkg.loaders import DocumentError, load_document, load_documents
from r2pkg.loaders.gazetteer import ROLE, gazetteer
from r2pkg.loaders.matching import TokenMatcher
from r2pkg.loaders.nlp import NAME_TOKEN, PLAIN_NAME, _honorifics, analyse, pipeline
from r2pkg.loaders.rules import Ctx
from r2pkg.loaders.text import MappedText, clean

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures" / "unseen").glob("*.txt"))


def _texts() -> list[str]:
    """The corpus, cleaned, and seeded random runs of the words the patterns care about."""
    gaz = gazetteer()
    words = (gaz.honorifics + [a for r in gaz.roles() for a in [r.pref, *r.aliases]]
             + [e.pref for e in gaz.entries.values() if e.kind in ("org", "state", "mechanism", "crime")][:150]
             + list(gaz.adjectives)[:30] + gaz.cues["adjective_heads"]
             + ["UN", "-", "of", "the", "The", ",", "and", ";", ".", "Smith", "Anna", "Al", "Hammadi", "O'Neil",
                "Ölander", "Jean-Paul", "said", "commission", "OF", "Inquiry"] * 3)
    rng = random.Random(20)
    soup = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 120))) for _ in range(150)]
    return [clean(p.read_text(encoding="utf-8")).text for p in CORPUS] + soup


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


def _reference_matchers(nlp) -> tuple[Matcher, Matcher]:
    gaz = gazetteer()
    ruler = Matcher(nlp.vocab)
    for entry in gaz.patterns(nlp.make_doc):
        if not isinstance(entry["pattern"], str):
            ruler.add(f"{entry['label']}||{entry['id']}", [entry["pattern"]])
    persons = Matcher(nlp.vocab)
    persons.add("HONORIFIC_NAME", [[{"ORTH": t} for t in h] + [dict(NAME_TOKEN, OP="+")] for h in _honorifics(nlp)],
                greedy="LONGEST")
    persons.add("TITLE_NAME", [[{"ENT_TYPE": ROLE, "OP": "+"}, dict(NAME_TOKEN, OP="+")]], greedy="LONGEST")
    persons.add("NAME_OF_ORG", [[PLAIN_NAME, PLAIN_NAME, {"LOWER": "of"}, {"LOWER": "the", "OP": "?"},
                                 {"ENT_TYPE": "ORG"}]])
    return ruler, persons


def test_token_matchers_give_the_spacy_matchers_results_in_the_same_order(texts):
    nlp, persons = pipeline()
    ruler = nlp.get_pipe("gazetteer_ruler").matcher
    ref_ruler, ref_persons = _reference_matchers(nlp)
    for text in texts:
        doc = nlp(text)
        assert ruler(doc) == list(ref_ruler(doc)), text[:80]
        assert persons(doc) == list(ref_persons(doc)), text[:80]


def test_token_matcher_operators_match_spacy():
    nlp = spacy.blank("en")
    patterns = [[{"LOWER": "a"}, {"LOWER": "b", "OP": "*"}, {"LOWER": "c", "OP": "?"}, {"LOWER": "d", "OP": "+"}],
                [{"LOWER": {"IN": ["b", "c"]}, "OP": "+"}, {"TEXT": {"REGEX": "^[dD]$"}}],
                [{"LOWER": "b", "OP": "?"}, {"ORTH": "c"}],
                # no value to index the first token by: indexed by its second (as a name before "of")
                [{"TEXT": {"REGEX": "^[aA]$"}}, {"LOWER": "b"}, {"LOWER": {"IN": ["c", "d"]}, "OP": "+"}]]
    rng = random.Random(3)
    for greedy in (None, "FIRST", "LONGEST"):
        ours, ref = TokenMatcher(nlp.vocab), Matcher(nlp.vocab)
        for i, pattern in enumerate(patterns):
            ours.add(f"P{i}", [pattern], greedy=greedy)
            ref.add(f"P{i}", [pattern], greedy=greedy)
        for _ in range(300):
            doc = nlp.make_doc(" ".join(rng.choice("a b c d D A") for _ in range(rng.randint(1, 14))))
            assert ours(doc) == list(ref(doc)), doc.text


def test_pipeline_gives_the_spacy_entities_sentences_and_tokens(texts):
    ref = spacy.blank("en")
    ref.add_pipe("sentencizer")
    ruler = ref.add_pipe("entity_ruler", config={"overwrite_ents": True, "validate": False})
    with ref.select_pipes(enable=[]):
        ruler.add_patterns(gazetteer().patterns(ref.make_doc))

    def seen(doc):
        return ([(t.text, t.whitespace_, t.is_sent_start) for t in doc],
                [(e.start, e.end, e.label_, e.ent_id_) for e in doc.ents])

    for text in texts:
        assert seen(analyse(text).doc) == seen(ref(text)), text[:80]


def test_emit_skips_a_repeat_only_among_the_last_50_facts():
    ctx = Ctx("x", SimpleNamespace(mapped=MappedText.identity("x" * 200)), gazetteer())
    s, p = URIRef("urn:s"), URIRef("urn:p")
    ctx.emit(s, p, Literal(0), (0, 5), limit=5)
    ctx.emit(s, p, Literal(0), (0, 5), limit=5)
    assert len(ctx.facts) == 1
    for i in range(1, 51):
        ctx.emit(s, p, Literal(i), (i, i + 1))
    ctx.emit(s, p, Literal(0), (0, 5), limit=5)   # the first is now 51 facts back: emitted again, as before
    ctx.emit(s, p, Literal(0), (0, 5), limit=5)   # ...and this one is a repeat of that
    assert [f.object for f in ctx.facts].count(Literal(0)) == 2


def test_load_documents_gives_load_document_results_in_order(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    sources = [(p, None) for p in CORPUS] + [(bad, None)]
    expected = [load_document(p) for p in CORPUS]
    for workers in (1, 2):
        got = load_documents(sources, workers=workers)
        assert [d.facts for d in got[:-1]] == [d.facts for d in expected]
        assert [d.mentions for d in got[:-1]] == [d.mentions for d in expected]
        assert isinstance(got[-1], DocumentError) and "empty document" in str(got[-1])
