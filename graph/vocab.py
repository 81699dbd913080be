"""Namespaces and graph names shared by loaders, build, queries and the web app.

Every IRI the project mints starts with BASE, so one setting moves the whole graph.
"""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/r2pkg/"
ONTOLOGY_IRI = BASE + "ontology"
R2P = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")

# Named graphs. Asserted facts live in one graph per document; everything else has its own graph
# so that a query can tell text-asserted facts from reference data, evidence and inference.
ONTOLOGY_GRAPH = GRAPH["ontology"]
INFERRED_GRAPH = GRAPH["inferred"]
CORPUS_GRAPH = GRAPH["corpus"]          # document metadata from the corpus manifest
GAZETTEER_GRAPH = GRAPH["gazetteer"]    # curated reference facts (a city's state), not read from text
DOCUMENT_GRAPH_PREFIX = str(GRAPH) + "document/"
EVIDENCE_GRAPH_PREFIX = str(GRAPH) + "evidence/"

# The classes of the evidence graphs' records: a fact's reading, its sentence, a mention. They are not
# entities (no counts, lists or search hits of their own), and they outnumber the entities twenty to one.
RECORD_CLASSES = (R2P.Evidence, R2P.Sentence, R2P.Mention)

PREFIXES: dict[str, str] = {
    "r2p": str(R2P),
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "org": str(ORG),
    "prov": str(PROV),
    "foaf": str(FOAF),
    "schema": str(SCHEMA),
    "oa": str(OA),
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
}


def serialization_prefixes() -> dict[str, str]:
    """Prefixes for Turtle and TriG output. Entity IRIs have slashes in their paths, which a
    prefixed name would have to escape (id:state\\/denmark), so they are written in full."""
    return {p: iri for p, iri in PREFIXES.items() if p != "id"}


def sparql_prologue() -> str:
    """PREFIX lines for every project prefix, for queries written with prefixed names."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
