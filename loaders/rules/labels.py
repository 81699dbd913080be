"""Labels: every entity mentioned gets its type and labels last; then every label is made one a Linked Data client
reads (in English, and an rdfs:label beside each skos:prefLabel)."""
from __future__ import annotations

import re
from rdflib import Literal, URIRef
from ..analysis import Sent
from ..gazetteer import CRIME, STATE_ADJ
from ..model import Fact
from .base import Ctx, R2P, RDF, RDFS, SKOS, _literal, english, rule


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
            ctx.emit(iri, SKOS.prefLabel, english(pref), s, limit=1)
        for text, vs in variants.get(iri, {}).items():
            if text != pref and (m := text.strip()) and (e is None or e.kind != "person") and \
                    (cls != R2P.Person):
                ctx.emit(iri, SKOS.altLabel, english(m), vs, limit=1)
        if iri in an.body_state:
            ctx.emit(iri, R2P.partOf, an.body_state[iri], s, limit=1)


_LABELS = frozenset((SKOS.prefLabel, SKOS.altLabel, RDFS.label))


def label_for_every_client(ctx: Ctx) -> None:
    """Every node with a skos:prefLabel gets it as its rdfs:label too, from the same sentence: clients that know
    only RDFS (and most Linked Data browsers) show rdfs:label. The rules write their labels in English
    (`base.english`); a label some rule wrote as a plain string is made English here. Runs once after the rules,
    whichever rule wrote the label."""
    labelled: set[URIRef] = set()
    preferred: dict[URIRef, Fact] = {}
    facts = ctx.facts
    for i, fact in enumerate(facts):
        if fact.predicate not in _LABELS:
            continue
        o = fact.object
        if isinstance(o, Literal) and o.language is None and o.datatype is None:
            fact = facts[i] = Fact(fact.subject, fact.predicate, english(str(o)), fact.evidence, fact.rules)
        if fact.predicate == RDFS.label:
            labelled.add(fact.subject)
        elif fact.predicate == SKOS.prefLabel:
            preferred.setdefault(fact.subject, fact)
    facts.extend(Fact(s, RDFS.label, f.object, f.evidence, f.rules) for s, f in preferred.items() if s not in labelled)
