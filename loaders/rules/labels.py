"""Labels: every entity mentioned gets its type and labels last; then every label is made one a Linked Data client
reads (in English, and an rdfs:label beside each skos:prefLabel)."""
from __future__ import annotations

import re
from rdflib import Literal, URIRef
from ..analysis import Sent
from ..gazetteer import CRIME, STATE_ADJ
from ..model import Fact
from ..themes import LANGUAGE
from .base import Ctx, R2P, RDF, RDFS, SKOS, _literal, rule


_LEADING_THE = re.compile(r"^(?:the|The)\s+")


@rule(reads=("found_mentions",),
      writes=("r2p:partOf", "rdf:type", "skos:altLabel", "skos:prefLabel"))
def rule_labels(ctx: Ctx) -> None:
    an = ctx.an
    an.ments.extend(ctx.found_mentions)
    an.ments.sort(key=lambda m: (m.start, -m.end))
    first: dict[URIRef, Sent] = {}
    variants: dict[URIRef, dict[str, Sent]] = {}
    for s in an.sents:
        for m in s.ments:
            if m.label in (CRIME,):
                continue
            if m.label == STATE_ADJ:
                first.setdefault(m.iri, s)
                continue
            if m.iri not in first or ctx.an.sents[first[m.iri].idx].ments and all(
                    x.label == STATE_ADJ for x in first[m.iri].ments if x.iri == m.iri):
                first[m.iri] = s
            variants.setdefault(m.iri, {}).setdefault(_LEADING_THE.sub("", m.text), s)
    for iri, s in first.items():
        e = ctx.gaz.get(iri)
        if e is not None:
            if e.cls is None:
                continue
            cls, pref = e.cls, e.pref
        elif iri in an.entities:
            cls, pref = an.entities[iri]
        elif iri in ctx.minted:
            continue
        else:
            continue
        if iri not in ctx.minted:
            ctx.minted[iri] = (cls, pref)
            ctx.emit(iri, RDF.type, cls, s, limit=1)
            ctx.emit(iri, SKOS.prefLabel, _literal(pref), s, limit=1)
        for text, vs in variants.get(iri, {}).items():
            if text != pref and (m := text.strip()) and (e is None or e.kind != "person") and \
                    (cls != R2P.Person):
                ctx.emit(iri, SKOS.altLabel, _literal(m), vs, limit=1)
        if iri in an.body_state:
            ctx.emit(iri, R2P.partOf, an.body_state[iri], s, limit=1)


_LABELS = frozenset((SKOS.prefLabel, SKOS.altLabel, RDFS.label))


def _english(text: str) -> Literal:
    return _literal(text, lang=LANGUAGE)


def label_for_every_client(ctx: Ctx) -> None:
    """Every label the rules wrote as a plain string is tagged English (the texts read are English), and every
    node with a skos:prefLabel gets it as its rdfs:label too, from the same sentence: clients that know only RDFS
    (and most Linked Data browsers) show rdfs:label. Runs once after the rules, whichever rule wrote the label."""
    labelled = {f.subject for f in ctx.facts if f.predicate == RDFS.label}
    facts: list[Fact] = []
    for fact in ctx.facts:
        o = fact.object
        if fact.predicate in _LABELS and isinstance(o, Literal) and o.language is None and o.datatype is None:
            fact = Fact(fact.subject, fact.predicate, _english(str(o)), fact.evidence)
        facts.append(fact)
        if fact.predicate == SKOS.prefLabel and fact.subject not in labelled:
            labelled.add(fact.subject)
            facts.append(Fact(fact.subject, RDFS.label, fact.object, fact.evidence))
    ctx.facts[:] = facts
