"""Curated reference triples for the gazetteer graph: what the texts never say (a city's state, a
region's place, which organization an office belongs to, the scheme of themes a sentence discusses)."""
from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from r2pkg.graph import iris
from r2pkg.graph.vocab import R2P

from .gazetteer import gazetteer
from .themes import LANGUAGE, scheme_triples


def reference_facts(entities: Iterable[URIRef]) -> list[tuple]:
    """For the given entities: cities' states (r2p:cityOf), regions' places (r2p:locatedIn), organizations'
    parents (r2p:partOf), with the type and labels (skos:prefLabel and rdfs:label, in English) of every entity
    named; and the themes among them as concepts of the scheme r2p:Themes."""
    gaz = gazetteer()
    out: list[tuple] = []
    seen: set[URIRef] = set()

    def describe(iri: URIRef) -> None:
        if iri in seen:
            return
        e = gaz.get(iri)
        if e is None or e.cls is None:
            return
        seen.add(iri)
        out.append((iri, RDF.type, e.cls))
        label = Literal(e.pref, lang=LANGUAGE)
        out.append((iri, SKOS.prefLabel, label))
        out.append((iri, RDFS.label, label))

    for iri in sorted(set(entities)):
        e = gaz.get(URIRef(iri))
        if e is None:
            continue
        if e.kind == "city":
            state = URIRef(e.info["state"])
            describe(e.iri)
            describe(state)
            out.append((e.iri, R2P.cityOf, state))
        elif e.kind == "region" and e.info.get("located_in"):
            target = URIRef(e.info["located_in"])
            describe(e.iri)
            describe(target)
            out.append((e.iri, R2P.locatedIn, target))
        elif e.kind == "org" and e.info.get("part_of"):
            parent = iris.entity("org", e.info["part_of"])
            describe(e.iri)
            describe(parent)
            out.append((e.iri, R2P.partOf, parent))
    return out + scheme_triples(URIRef(iri) for iri in entities)
