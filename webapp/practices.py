"""The Practices section of a state's or organization's page: what the summaries say it did, each practice
with its kind, what it produced or concerned, its date and place, and the sentence it was read from."""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from r2pkg.graph.vocab import R2P

from .statements import Evidence

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

# The practices of the entity and of its government bodies (r2p:partOf the state, transitively), with the
# sentence their actor was read from: the same answer as the saved query national-practices, in three steps
# so that Oxigraph starts each from what is bound (7 ms for a state at 1M in one query, where it walked
# r2p:partOf+ from every actor of every practice and read every evidence node of r2p:actor; 0.6 ms so).
_PARTS = f"SELECT DISTINCT ?actor WHERE {{ ?actor <{R2P}partOf>+ ?e }}"      # bind ?e
_PRACTICES = f"""
SELECT DISTINCT ?practice ?actor ?kindName ?object ?date ?place WHERE {{
  ?practice <{R2P}actor> ?actor .
  ?practice a <{R2P}Practice> ; <{R2P}practiceKind> ?kind .
  OPTIONAL {{ ?kind <{SKOS}prefLabel> ?kindName }}
  OPTIONAL {{ ?practice <{R2P}produced>|<{R2P}concerns> ?object }}
  OPTIONAL {{ ?practice <{R2P}date> ?date }}
  OPTIONAL {{ ?practice <{R2P}practicePlace> ?place }}
}}"""                                                                         # VALUES ?actor
_SENTENCES = f"""
SELECT ?practice ?sent WHERE {{
  ?ev <{RDF}subject> ?practice ; <{RDF}predicate> <{R2P}actor> ; <{RDF}object> ?actor ; <{R2P}sentence> ?sent .
}}"""                                                                         # VALUES (?practice ?actor)


@dataclass
class Practice:
    """One practice as the page shows it."""
    iri: ox.NamedNode
    kind: str
    actors: list[ox.NamedNode] = field(default_factory=list)   # the bodies of the entity that acted, if not itself
    objects: list[ox.NamedNode] = field(default_factory=list)
    date: ox.Literal | None = None
    place: ox.NamedNode | None = None
    evidence: list[Evidence] = field(default_factory=list)


def is_actor_kind(data, iri: str) -> bool:
    """States and organizations (and government bodies) have a Practices section."""
    return data.is_a(iri, str(R2P.Organization))


def practices_of(data, iri: str, spans) -> list[Practice]:
    """The practices of a state or organization, dated ones first in date order, each with its sentences
    (`spans(sentence IRIs)` -> sentence IRI -> Evidence list, as the entity page reads them)."""
    node = ox.NamedNode(iri)
    actors = [node, *(r["actor"] for r in data.query(_PARTS, e=node)
                      if isinstance(r["actor"], ox.NamedNode) and r["actor"] != node)]
    rows = data.query(with_rows(_PRACTICES, ("actor",), [(a,) for a in actors]))
    found: dict[str, Practice] = {}
    sentences: dict[str, set[str]] = {}
    pairs = sorted({(r["practice"], r["actor"]) for r in rows if isinstance(r["practice"], ox.NamedNode)}, key=str)
    for r in data.query(with_rows(_SENTENCES, ("practice", "actor"), pairs)) if pairs else ():
        sentences.setdefault(r["practice"].value, set()).add(r["sent"].value)
    for r in rows:
        p = found.setdefault(r["practice"].value, Practice(r["practice"], r["kindName"].value if r["kindName"] else ""))
        actor = r["actor"]
        if actor is not None and actor.value != iri and actor not in p.actors:
            p.actors.append(actor)
        if r["object"] is not None and r["object"] not in p.objects:
            p.objects.append(r["object"])
        p.date = p.date or r["date"]
        p.place = p.place or r["place"]
    texts = spans({s for group in sentences.values() for s in group})
    for key, p in found.items():
        seen = set()
        for sent in sorted(sentences.get(key, ())):
            for ev in texts.get(sent, ()):
                if (ev.document.value, ev.start) not in seen:
                    seen.add((ev.document.value, ev.start))
                    p.evidence.append(ev)
    return sorted(found.values(), key=lambda p: (p.date is None, str(p.date.value) if p.date else "", p.iri.value))


def with_rows(query: str, names: tuple[str, ...], rows: list[tuple]) -> str:
    """The query with a VALUES block of these rows put first in its WHERE clause, where Oxigraph starts from it."""
    variables = " ".join("?" + n for n in names)
    block = " ".join("(" + " ".join(str(t) for t in row) + ")" for row in rows)
    return query.replace("WHERE {", f"WHERE {{ VALUES ({variables}) {{ {block} }}", 1)
