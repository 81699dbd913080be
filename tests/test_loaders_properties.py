"""Property-based tests of the loaders: any text in, no crash; every triple out is valid RDF and its evidence is
a real span of the input.

Inputs mix arbitrary Unicode with sentences shaped like a summary's (so the extraction rules fire), markup,
list markers, hyphenation debris and line breaks. `max_examples` is kept modest so the module runs in a few seconds.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, event, given, settings, strategies as st
from rdflib import Literal, URIRef

from r2pkg.graph.evidence import evidence_triples, fact_triples
from r2pkg.graph.store import to_ox
from r2pkg.loaders import DocumentError, load_document

SENTENCES = [
    "Summary of the 9th Annual Meeting of the Global Network of R2P Focal Points",
    "The Government of Denmark hosted the tenth annual meeting in Copenhagen, Denmark from 2 to 3 May 2020.",
    "The meeting brought together senior government officials from more than 45 countries.",
    "Participants discussed the situations in Myanmar, Syria and South Sudan.",
    "Recently, the OAS appointed an R2P Focal Point, joining the EU as the second regional organization.",
    "The UN Special Adviser on the Responsibility to Protect, Ms. Karen Smith, opened the meeting.",
    "Spain and Morocco co-hosted the fifth meeting in Madrid in June 2015.",
    "The Steering Group is comprised of Australia, Denmark, Ghana, Lithuania and Slovenia.",
    "RECOMMENDATIONS",
    "1. Appoint an R2P Focal Point in every state.",
    "2. Strengthen early warning mechanisms and the International Criminal Court.",
    "- Côte d'Ivoire announced the appointment of its focal point in 2016.",
    "The network now has 61 national and 2 regional R2P Focal Points.",
    "imple-\nmentation of the countryspecific recommendations",
    "<p>Ghana</p><div>hosted &amp; <b>Qatar</b></div>",
    "",
]
junk = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
piece = st.one_of(st.sampled_from(SENTENCES), junk, st.sampled_from(["\n", "\n\n", " ", "\f", "\r\n", "\t", "  "]))
documents = st.lists(piece, min_size=0, max_size=25).map("".join)

BAD_IRI_CHARS = set('<>"{}|^`\\ ')


def check_term(term) -> None:
    if isinstance(term, URIRef):
        assert not (set(str(term)) & BAD_IRI_CHARS) and ":" in str(term), term
        ox.NamedNode(str(term))  # raises on an invalid IRI
    else:
        assert isinstance(term, Literal), term
        assert not term.ill_typed, f"ill-typed literal {term!r}"
        if term.datatype:
            ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))


def load(text: str, suffix: str = ".txt"):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"doc{suffix}"
        path.write_text(text, encoding="utf-8")
        try:
            return load_document(path, "doc")
        except DocumentError as err:
            message = str(err)
            assert "doc" in message and "\n" not in message
            return None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_any_text_loads_or_is_refused_and_every_triple_is_valid(text):
    doc = load(text)
    event("refused" if doc is None else "with facts" if doc.facts else "no facts")
    if doc is None:
        return
    assert doc.text == text.lstrip("\ufeff") or doc.text == text
    quads = []
    for s, p, o in list(fact_triples(doc)) + list(evidence_triples(doc)):
        for term in (s, p, o):
            check_term(term)
        quads.append((s, p, o))
    for fact in doc.facts:
        span = fact.evidence
        assert 0 <= span.start < span.end <= len(doc.text), span
        exact = doc.text[span.start:span.end]
        assert exact.strip() and exact in text
    for mention in doc.mentions:
        assert 0 <= mention.span.start < mention.span.end <= len(doc.text)
        assert doc.text[mention.span.start:mention.span.end] in text
    # the triples go through a real RDF serializer and parser unchanged
    triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in quads]
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)] == triples


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_any_text_as_html_loads_or_is_refused(text):
    doc = load("<html><body>" + text + "</body></html>", ".html")
    if doc is not None:
        for fact in doc.facts:
            assert 0 <= fact.evidence.start < fact.evidence.end <= len(doc.text)


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_load_or_are_refused_in_one_line(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bytes.txt"
        path.write_bytes(data)
        try:
            load_document(path, "bytes")
        except DocumentError as err:
            assert "bytes.txt" in str(err) and "\n" not in str(err)
