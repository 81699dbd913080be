"""A loaded document as quads: its facts in the document's graph, their evidence beside them.

Facts and evidence go to separate named graphs so that reasoning and fact queries read the
facts alone, while every fact can still be traced to its sentence:

    GRAPH graph/document/D { s p o }
    GRAPH graph/evidence/D {
        ev a r2p:Evidence ; rdf:subject s ; rdf:predicate p ; rdf:object o ;
           r2p:sentence sent ; prov:wasDerivedFrom doc .
        sent a r2p:Sentence ; oa:hasSource doc ; oa:start 10 ; oa:end 120 ; oa:exact "..." .
        mention a r2p:Mention ; oa:hasBody entity ; oa:hasSource doc ; oa:start ; oa:end ; oa:exact .
    }
"""
from __future__ import annotations

from collections.abc import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from r2pkg.loaders.model import LoadedDocument, Span

from . import iris
from .vocab import OA, R2P

Triple = tuple[URIRef, URIRef, URIRef | Literal]


def fact_triples(doc: LoadedDocument) -> Iterator[Triple]:
    seen: set[Triple] = set()
    for fact in doc.facts:
        triple = (fact.subject, fact.predicate, fact.object)
        if triple not in seen:
            seen.add(triple)
            yield triple


def evidence_triples(doc: LoadedDocument) -> Iterator[Triple]:
    doc_iri = iris.document(doc.slug)
    spans: set[Span] = set()
    for fact in doc.facts:
        span = fact.evidence
        spans.add(span)
        ev = iris.evidence(doc.slug, str(fact.subject), str(fact.predicate), fact.object.n3(),
                           span.start, span.end)
        yield ev, RDF.type, R2P.Evidence
        yield ev, RDF.subject, fact.subject
        yield ev, RDF.predicate, fact.predicate
        yield ev, RDF.object, fact.object
        yield ev, R2P.sentence, iris.sentence(doc.slug, span.start, span.end)
        yield ev, PROV.wasDerivedFrom, doc_iri
    for span in sorted(spans):
        yield from _located(iris.sentence(doc.slug, span.start, span.end), R2P.Sentence, doc, span)
    for mention in doc.mentions:
        node = URIRef(f"{doc_iri}/mention/{mention.span.start}-{mention.span.end}")
        yield from _located(node, R2P.Mention, doc, mention.span)
        yield node, OA.hasBody, mention.entity


def _located(node: URIRef, cls: URIRef, doc: LoadedDocument, span: Span) -> Iterator[Triple]:
    yield node, RDF.type, cls
    yield node, OA.hasSource, iris.document(doc.slug)
    yield node, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)
    yield node, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)
    yield node, OA.exact, Literal(doc.text[span.start:span.end])
