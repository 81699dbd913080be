"""A loaded document as quads: its facts in the document's graph, their evidence beside them.

Facts and evidence go to separate named graphs so that reasoning and fact queries read the
facts alone, while every fact can still be traced to its sentence:

    GRAPH graph/document/D { s p o }
    GRAPH graph/evidence/D {
        ev a r2p:Evidence ; rdf:subject s ; rdf:predicate p ; rdf:object o ;
           r2p:sentence sent ; prov:wasDerivedFrom doc ;
           r2p:extractedBy id:rule/rule_meeting .    # each rule that read it there (Fact.rules), in order
        sent a r2p:Sentence ; oa:hasSource doc ; oa:start 10 ; oa:end 120 ; oa:exact "..." ;
             r2p:page 3 .                      # a paged document's (a PDF's) only
        mention a r2p:Mention ; oa:hasBody entity ; oa:hasSource doc ; oa:start ; oa:end ; oa:exact .
    }
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from r2pkg.loaders.model import LoadedDocument, Span

from . import iris
from .vocab import OA, R2P

Triple = tuple[URIRef, URIRef, URIRef | Literal]
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_XSD_STRING = str(XSD.string)


def nt(term: URIRef | BNode | Literal) -> str:
    """An rdflib term in N-Triples syntax: the build hands the store text, not term objects,
    because Oxigraph parses text an order of magnitude faster than Python converts terms."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = f'"{str(term).translate(_ESCAPES)}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype and str(term.datatype) != _XSD_STRING:
            return f"{text}^^<{term.datatype}>"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


@dataclass(frozen=True)
class Terms:
    """How evidence_triples writes its terms: as rdflib terms, or as N-Triples text."""

    term: Callable          # an rdflib term (facts, vocabulary) as output
    offset: Callable        # a character offset as an xsd:integer literal (see INTEGER)
    text: Callable          # a string literal
    page: Callable          # a page number from 1 as an xsd:integer literal


# Offsets and page numbers are xsd:integer, not the xsd:nonNegativeInteger and xsd:positiveInteger their values
# are (the shapes check the bounds): the store holds a literal of any type derived from xsd:integer as an
# xsd:integer, so the dumps, written from this text, say what the SPARQL endpoint answers.
INTEGER = XSD.integer
RDFLIB = Terms(lambda t: t, lambda n: Literal(n, datatype=INTEGER), Literal, lambda n: Literal(n, datatype=INTEGER))
NTRIPLES = Terms(nt, lambda n: f'"{n}"^^<{INTEGER}>', lambda s: f'"{s.translate(_ESCAPES)}"',
                 lambda n: f'"{n}"^^<{INTEGER}>')


def fact_triples(doc: LoadedDocument) -> Iterator[Triple]:
    seen: set[Triple] = set()
    for fact in doc.facts:
        triple = (fact.subject, fact.predicate, fact.object)
        if triple not in seen:
            seen.add(triple)
            yield triple


def evidence_triples(doc: LoadedDocument, terms: Terms = RDFLIB) -> Iterator[tuple]:
    """The evidence graph of a document, its terms made by `terms` (rdflib by default).

    Each term is made once per document (`made`): a summary's 600 facts name a few hundred distinct terms
    and sentences, and making a term is most of the cost (a build makes some 5,000 statements a summary)."""
    made: dict = {}

    def t(term):
        out = made.get(term)
        if out is None:
            out = made[term] = terms.term(term)
        return out

    a, subject, predicate, obj = t(RDF.type), t(RDF.subject), t(RDF.predicate), t(RDF.object)
    sentence, derived, evidence = t(R2P.sentence), t(PROV.wasDerivedFrom), t(R2P.Evidence)
    extracted_by, rules = t(R2P.extractedBy), {}
    doc_iri = iris.document(doc.slug)
    source = t(doc_iri)
    sentences: dict[Span, object] = {}
    evidence_iri = iris.evidence_in(doc.slug)
    for fact in doc.facts:
        span = fact.evidence
        sent = sentences.get(span)
        if sent is None:
            sent = sentences[span] = t(iris.sentence(doc.slug, span.start, span.end))
        ev = terms.term(evidence_iri(str(fact.subject), str(fact.predicate), fact.object.n3(), span.start, span.end))
        yield ev, a, evidence
        yield ev, subject, t(fact.subject)
        yield ev, predicate, t(fact.predicate)
        yield ev, obj, t(fact.object)
        yield ev, sentence, sent
        yield ev, derived, source
        for name in fact.rules:
            rule = rules.get(name)
            if rule is None:
                rule = rules[name] = t(iris.rule(name))
            yield ev, extracted_by, rule
    page, located = t(R2P.page), (t(RDF.type), t(OA.hasSource), t(OA.start), t(OA.end), t(OA.exact))
    sentence_type, mention_type = t(R2P.Sentence), t(R2P.Mention)
    for span in sorted(sentences):
        node = sentences[span]
        yield from _located(node, sentence_type, source, doc, span, located, terms)
        if doc.paged:
            yield node, page, terms.page(doc.page(span))
    body = t(OA.hasBody)
    for mention in doc.mentions:
        node = terms.term(URIRef(f"{doc_iri}/mention/{mention.span.start}-{mention.span.end}"))
        yield from _located(node, mention_type, source, doc, mention.span, located, terms)
        yield node, body, t(mention.entity)


def _located(node, cls, source, doc: LoadedDocument, span: Span, predicates: tuple, terms: Terms) -> Iterator[tuple]:
    """A sentence's or mention's place in the document (`predicates`: rdf:type and the four oa: ones, as made)."""
    a, has_source, start, end, exact = predicates
    yield node, a, cls
    yield node, has_source, source
    yield node, start, terms.offset(span.start)
    yield node, end, terms.offset(span.end)
    yield node, exact, terms.text(doc.text[span.start:span.end])


def rule_triples() -> Iterator[Triple]:
    """Each extraction rule as evidence names it (r2p:extractedBy): an r2p:ExtractionRule with its name as label
    and what it reads (`loaders.rules.description`), for the gazetteer graph, so that id/rule/NAME has a page."""
    from r2pkg.loaders.rules import RULES, description

    for each in RULES:
        node, label = iris.rule(each.name), Literal(each.name, lang="en")
        yield node, RDF.type, R2P.ExtractionRule
        yield node, SKOS.prefLabel, label
        yield node, RDFS.label, label
        yield node, DCTERMS.description, Literal(description(each), lang="en")


def evidence_ntriples(doc: LoadedDocument) -> list[str]:
    """The evidence graph as N-Triples statements without the final " ." (see `nt`)."""
    return [f"{s} {p} {o}" for s, p, o in evidence_triples(doc, NTRIPLES)]
