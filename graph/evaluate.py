"""`r2pkg evaluate`: how well the loaders read a corpus, measured against gold facts.

The gold is a list of facts a careful reader takes from each document (format: docs/extraction.md).
The graph side is read by SPARQL from the built store, one document's named graph at a time, so a
fact counts for the document that asserts it and for no other. Each gold fact is paired with at
most one graph fact of its kind and document, then judged field by field:

- found: the graph has the fact's core (the meeting, the person, the state, ...) with every field
  the gold gives right (a field given as null must be absent from the graph);
- wrong: the graph has the core but some given field is wrong or absent;
- missed: the graph has no fact with that core;
- spurious: a graph fact of a kind the gold file covers, asserted from a document the gold file
  covers, that no gold fact (optional ones included) pairs with. A document named in the gold is
  taken as annotated in full for every kind the gold file uses; documents it does not name are
  not scored, so adding gold never turns correct facts of other documents into spurious ones.

Recall = found / non-optional gold facts; precision = found / (found + wrong + spurious).
Optional gold facts are paired (so that the graph fact is not spurious) but counted nowhere.
Two checks sit beside the scores: meetings of another series placed in the Global Network's
series, and invented years (a date whose year the document's text never states).
"""
from __future__ import annotations

import json
import re
import shutil
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import iris
from .vocab import CORPUS_GRAPH, DOCUMENT_GRAPH_PREFIX, EVIDENCE_GRAPH_PREFIX, GAZETTEER_GRAPH, R2P, sparql_prologue

KINDS = ("meeting", "participant_state", "person_role", "mechanism", "network_size", "focal_point",
         "appointment", "situation", "membership", "recommendation", "theme", "practice")
GLOBAL_NETWORK = "global network of r2p focal points"
VERDICTS = ("found", "wrong", "missed", "spurious")


class GoldError(ValueError):
    """The gold file is not a list of facts in the documented format."""


# ------------------------------------------------------------------------------------------
# Normalising names: case, diacritics, "the", punctuation, plurals, R2P
# ------------------------------------------------------------------------------------------

def norm(text: object) -> str:
    """A name as a reader compares it: 'The Côte d'Ivoire's' and 'cote d ivoire' are one."""
    folded = unicodedata.normalize("NFKD", str(text))
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    folded = re.sub(r"['\u2019]s\b", "", folded)
    folded = re.sub(r"\br2p\b|\brtop\b", "responsibility to protect", folded)
    folded = re.sub(r"\badvisor\b", "adviser", folded)
    words = [_singular(w) for w in re.findall(r"[a-z0-9]+", folded) if w != "the"]
    return " ".join(words)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def name_variants(gold: str) -> list[str]:
    """A gold name and its alternatives: 'A / B' offers both; a parenthesis is a comment."""
    plain = re.sub(r"\([^)]*\)", " ", gold)
    return [v for v in (norm(p) for p in plain.split(" / ")) if v]


def _bare(name: str) -> str:
    """A normalised name without a leading 'un': 'un general assembly' is the General Assembly."""
    return re.sub(r"^(un|united nation) ", "", name)


def names_match(gold: str | None, labels: Iterable[str]) -> bool:
    """The gold name is one of the graph entity's labels, once both are normalised."""
    if gold is None:
        return False
    known = {norm(label) for label in labels}
    known |= {_without_initials(n) for n in known} | {_bare(n) for n in known}
    return any(v in known or _without_initials(v) in known or _bare(v) in known for v in name_variants(gold))


def _without_initials(name: str) -> str:
    """'maria j okafor' -> 'maria okafor': a middle initial is not a different person."""
    words = name.split()
    return " ".join(w for i, w in enumerate(words) if len(w) > 1 or i in (0, len(words) - 1))


QUALIFIERS = {"un", "united", "nations", "of", "on", "for", "to", "and", "in", "a", "an", "at", "former",
              "secretary general"}


def _content(text: str) -> set[str]:
    """The words of a role or position that say what it is, without whose it is: the
    'Secretary-General's' of a Special Adviser is a qualifier, unless it is the whole role."""
    plain = norm(re.sub(r"\([^)]*\)", " ", text))
    words = {w for w in re.sub(r"\bsecretary general\b", " ", plain).split() if w not in QUALIFIERS}
    return words or {w for w in plain.split() if w not in QUALIFIERS}


def roles_match(gold: str, label: str) -> bool:
    """Roles are descriptions, not names: one's words contain the other's, and the smaller says
    at least half of what the larger says ('Director' ~ 'Executive Director', not ~ 'Minister')."""
    g, a = _content(gold), _content(label)
    if not g or not a:
        return norm(gold) == norm(label)
    small, large = (g, a) if len(g) <= len(a) else (a, g)
    return small <= large and 2 * len(small) >= len(large)


def is_global_network(series: str | None) -> bool:
    return series is not None and norm(series).startswith(norm(GLOBAL_NETWORK))


# ------------------------------------------------------------------------------------------
# The gold
# ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GoldFact:
    index: int
    doc: str
    kind: str
    quote: str
    fields: dict
    optional: bool = False
    extra_quotes: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return doc_slug(self.doc)


RESERVED = {"doc", "kind", "quote", "extra_quotes", "optional", "notes"}


def doc_slug(file_name: str) -> str:
    """The build's slug of a document file name (graph/build.py: _slug)."""
    return iris.slugify(Path(file_name).stem)


def load_gold(path: Path) -> list[GoldFact]:
    """The gold file's facts; a malformed file is refused with the first problem named."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GoldError(f"{path}: cannot read the gold file ({exc})") from None
    if not isinstance(data, list):
        raise GoldError(f"{path}: the gold must be a JSON list of facts")
    facts = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not {"doc", "kind", "quote"} <= item.keys():
            raise GoldError(f"{path}: fact {i} needs doc, kind and quote")
        if item["kind"] not in KINDS:
            raise GoldError(f"{path}: fact {i} has unknown kind {item['kind']!r}; known: {', '.join(KINDS)}")
        fields = {k: v for k, v in item.items() if k not in RESERVED}
        facts.append(GoldFact(i, item["doc"], item["kind"], item["quote"], fields, bool(item.get("optional")),
                              tuple(item.get("extra_quotes") or ())))
    return facts


# ------------------------------------------------------------------------------------------
# Reading the store
# ------------------------------------------------------------------------------------------

PROLOGUE = sparql_prologue()


def select(store: ox.Store, text: str) -> list[dict[str, str]]:
    """Rows of a SELECT as plain strings (unbound variables absent). The default graph is the
    union of the named graphs, which is what a build's merged default graph holds."""
    result = store.query(PROLOGUE + text, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def graph_slug(graph_iri: str) -> str:
    return graph_iri[len(DOCUMENT_GRAPH_PREFIX):]


@dataclass
class Graph:
    """What the evaluator needs of a build: labels, evidence sentences and document texts."""
    store: ox.Store
    labels: dict[str, list[str]]
    sentences: dict[tuple[str, str, str], list[tuple[str, str]]]   # (slug, s, p) -> [(o, sentence)]
    texts: dict[str, str]
    parents: dict[str, set[str]] = field(default_factory=dict)   # organization -> what it is part of
    series: dict[tuple[str, str], tuple[str, list[str]]] = field(default_factory=dict)
    # (slug, meeting) -> (its r2p:inSeries, the names that document gives the series)

    def ancestors(self, iri: str | None) -> list[str]:
        """The organization and every organization it is part of (a ministry, then its state)."""
        seen: list[str] = []
        todo = [iri] if iri else []
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.append(current)
                todo += sorted(self.parents.get(current, ()))
        return seen

    def names(self, iri: str | None) -> list[str]:
        """Labels of an entity, preferred first, with its IRI's slug as a last resort."""
        if iri is None:
            return []
        return self.labels.get(iri, []) + [iri.rstrip("/").rsplit("/", 1)[-1].replace("-", " ")]

    def name(self, iri: str | None) -> str | None:
        return self.names(iri)[0] if iri else None

    def sentence(self, slug: str, subject: str, predicate: str | None = None, obj: str | None = None) -> str:
        """The evidence sentence of a triple the document asserts ('' when it has none)."""
        keys = [(slug, subject, predicate)] if predicate else [k for k in self.sentences if k[:2] == (slug, subject)]
        for key in keys:
            for o, text in self.sentences.get(key, []):
                if obj is None or o == obj:
                    return text
        return ""


def read_graph(store: ox.Store) -> Graph:
    labels: dict[str, list[str]] = defaultdict(list)
    for row in select(store, """
        SELECT ?s ?l ?rank WHERE {
          { ?s skos:prefLabel ?l BIND(1 AS ?rank) } UNION { ?s skos:altLabel ?l BIND(2 AS ?rank) }
          UNION { ?s rdfs:label ?l BIND(3 AS ?rank) }
        } ORDER BY ?s ?rank ?l"""):
        if row["l"] not in labels[row["s"]]:
            labels[row["s"]].append(row["l"])
    sentences: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    for row in select(store, """
        SELECT ?g ?s ?p ?o ?text WHERE {
          GRAPH ?g { ?e a r2p:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; r2p:sentence ?sent .
                     ?sent oa:exact ?text }
        }"""):
        slug = row["g"][len(EVIDENCE_GRAPH_PREFIX):]
        sentences[(slug, row["s"], row["p"])].append((row["o"], row["text"]))
    texts = {row["doc"].rsplit("/", 1)[-1]: row["text"] for row in select(store, f"""
        SELECT ?doc ?text WHERE {{ GRAPH <{CORPUS_GRAPH}> {{ ?doc a r2p:Document ; r2p:text ?text }} }}""")}
    parents: dict[str, set[str]] = defaultdict(set)
    for row in select(store, "SELECT DISTINCT ?part ?whole WHERE { ?part r2p:partOf ?whole }"):
        parents[row["part"]].add(row["whole"])
    series: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for row in select(store, f"""
        SELECT ?g ?m ?series ?name WHERE {{
          GRAPH ?g {{ ?m r2p:inSeries ?series }} FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))
          OPTIONAL {{ GRAPH ?g {{ ?series skos:altLabel ?name }} }}
        }} ORDER BY ?g ?m ?name"""):
        _iri, names = series.setdefault((graph_slug(row["g"]), row["m"]), (row["series"], []))
        if "name" in row:
            names.append(row["name"])
    return Graph(store, dict(labels), dict(sentences), texts, dict(parents), series)


# ------------------------------------------------------------------------------------------
# Graph facts, one small reader per kind
# ------------------------------------------------------------------------------------------

@dataclass
class GraphFact:
    slug: str
    kind: str
    subject: str
    fields: dict            # values as compared: IRIs for entities, strings/ints for the rest
    shown: dict             # the same fields as a reader sees them (labels)
    evidence: str
    covered_by: str | None = None   # the kind that already judges this statement (a host, a focal point)
    field_evidence: dict = field(default_factory=dict)   # field -> the sentence its value was read from


def _year(value: str | None) -> int | None:
    return int(value[:4]) if value and value[:4].isdigit() else None


def _int(value: str | None) -> int | None:
    return int(value) if value is not None else None


def _bool(value: str | None) -> bool | None:
    return None if value is None else value == "true"


def _values(rows: list[dict], var: str) -> list[str]:
    return sorted({r[var] for r in rows if var in r})


def _first(rows: list[dict], var: str) -> str | None:
    values = _values(rows, var)
    return values[0] if values else None


def meeting_series(graph: Graph, meeting: str, networks: list[str], types: list[str], slug: str | None = None) -> str:
    """The series a meeting is in (r2p:inSeries), by the name the document gives it; without one,
    the Global Network's series for its annual meetings, else the network or label it names."""
    in_series = graph.series.get((slug, meeting)) or next(
        (v for (_s, m), v in sorted(graph.series.items()) if m == meeting), None)
    if in_series is not None and not any(t.endswith("#AnnualMeeting") for t in types):
        series, names = in_series
        return names[0] if names else (graph.name(series) or series)
    others = [n for n in networks if not is_global_network(graph.name(n))]
    if others:
        return graph.name(others[0]) or others[0]
    if any(t.endswith("#AnnualMeeting") for t in types) or networks:
        return "Global Network of R2P Focal Points (annual meeting)"
    return graph.name(meeting) or meeting


def meeting_facts(graph: Graph) -> list[GraphFact]:
    """Every meeting a document's graph describes, with what that document says of it."""
    rows = select(graph.store, f"""
        SELECT ?g ?m ?type ?ordinal ?start ?end ?year ?city ?country ?cityCountry ?host ?partner ?announced ?count ?lower
               ?network
               ?distinction
        WHERE {{
          GRAPH ?g {{ ?m a ?type }} ?type rdfs:subClassOf* r2p:Meeting .
          FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:ordinal ?ordinal }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:startDate ?start }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:endDate ?end }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:year ?year }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:heldInCity ?city }}
                     OPTIONAL {{ GRAPH <{GAZETTEER_GRAPH}> {{ ?city r2p:cityOf ?cityCountry }} }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:heldInCountry ?country }} }}
          OPTIONAL {{ GRAPH ?g {{ {{ ?m r2p:hostedBy ?host }} UNION {{ ?host r2p:hosted ?m }} }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:inAssociationWith ?partner }} }}
          OPTIONAL {{ GRAPH ?g {{ ?announced r2p:announcedHostOf ?m }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:participantCount ?count }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:countIsLowerBound ?lower }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:ofNetwork ?network }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:distinction ?distinction }} }}
        }}""")
    facts = []
    for (g, m), rs in _group_pairs(rows, "g", "m").items():
        slug = graph_slug(g)
        start = _first(rs, "start")
        fields = {
            "series": meeting_series(graph, m, _values(rs, "network"), _values(rs, "type"), slug),
            "ordinal": _int(_first(rs, "ordinal")),
            "year": _year(start) or _year(_first(rs, "year")),
            "start_date": start, "end_date": _first(rs, "end"),
            "city": _first(rs, "city"),
            "country": _first(rs, "country") or _first(rs, "cityCountry"),
            "hosts": _values(rs, "host"), "partners": _values(rs, "partner"),
            "announced_hosts": _values(rs, "announced"),
            "participant_count": _int(_first(rs, "count")), "more_than": _bool(_first(rs, "lower")),
            "planned": any(t.endswith("#PlannedMeeting") for t in _values(rs, "type")),
            "distinction": _values(rs, "distinction"),
        }
        if fields["participant_count"] is not None and fields["more_than"] is None:
            fields["more_than"] = False     # a stated count is exact unless said otherwise
        evidence = (graph.sentence(slug, m, iris_r2p("ordinal")) or graph.sentence(slug, m, iris_r2p("startDate"))
                    or graph.sentence(slug, m))
        facts.append(GraphFact(slug, "meeting", m, fields, _shown(graph, fields), evidence,
                               field_evidence=_meeting_field_evidence(graph, slug, m, fields)))
    return facts


MEETING_FIELD_PREDICATES = {"start_date": "startDate", "end_date": "endDate", "city": "heldInCity",
                            "country": "heldInCountry", "participant_count": "participantCount",
                            "more_than": "countIsLowerBound", "ordinal": "ordinal"}


def _meeting_field_evidence(graph: Graph, slug: str, meeting: str, fields: dict) -> dict[str, str]:
    """Where each of a meeting's values was read, so that a wrong date shows its sentence."""
    found = {}
    for name, local in MEETING_FIELD_PREDICATES.items():
        sentence = graph.sentence(slug, meeting, iris_r2p(local))
        if sentence:
            found[name] = sentence
    if fields["hosts"]:
        found["hosts"] = graph.sentence(slug, meeting, iris_r2p("hostedBy"))
    return found


def participant_facts(graph: Graph) -> list[GraphFact]:
    """States a document says took part in a meeting. Hosts took part too (r2p:hostedBy is a
    sub-property of r2p:hasParticipant), but a host no gold participant names is judged with the
    meeting's hosts, not counted again as a spurious participant."""
    rows = select(graph.store, f"""
        SELECT ?g ?m ?state ?ordinal ?start ?type ?network ?isHost WHERE {{
          GRAPH ?g {{ {{ ?m r2p:hasParticipant|r2p:hostedBy ?state }} UNION {{ ?state r2p:participatedIn|r2p:hosted ?m }} }}
          FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))
          ?state a r2p:State .
          OPTIONAL {{ ?m r2p:ordinal ?ordinal }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:startDate ?start }} }}
          OPTIONAL {{ ?m a ?type }}
          OPTIONAL {{ ?m r2p:ofNetwork ?network }}
          BIND(EXISTS {{ GRAPH ?g {{ ?m r2p:hostedBy ?state }} }} AS ?isHost)
        }}""")
    facts = []
    for (g, m, state), rs in _group_triples(rows, "g", "m", "state").items():
        slug = graph_slug(g)
        series = meeting_series(graph, m, _values(rs, "network"), _values(rs, "type"), slug)
        fields = {"state": state, "meeting_ordinal": _int(_first(rs, "ordinal")), "meeting": series,
                  "year": _year(_first(rs, "start"))}
        evidence = graph.sentence(slug, m, iris_r2p("hasParticipant"), state) or graph.sentence(slug, state)
        facts.append(GraphFact(slug, "participant_state", f"{m} {state}", fields, _shown(graph, fields), evidence,
                               covered_by="meeting" if _first(rs, "isHost") == "true" else None))
    return facts


def person_role_facts(graph: Graph) -> list[GraphFact]:
    """Role assignments, and persons a document ties to an organization without naming a role (the
    meeting of such a person is the one the document says they took part in).
    An assignment to the R2P Focal Point role states what a focal_point fact states: unless a
    gold person_role names it, it is judged there and not counted again as spurious."""
    rows = select(graph.store, f"""
        SELECT ?g ?a ?person ?role ?org ?year ?meeting ?ordinal ?start ?type ?network ?title WHERE {{
          {{
            GRAPH ?g {{ {{ ?a r2p:holder|r2p:heldByOrganization ?person }} UNION {{ ?person r2p:holdsRole ?a }} }}
            OPTIONAL {{ GRAPH ?g {{ ?a r2p:role ?role }} }}
            OPTIONAL {{ GRAPH ?g {{ ?a r2p:statedTitle ?title }} }}
            OPTIONAL {{ GRAPH ?g {{ ?a r2p:roleIn ?org }} }}
            OPTIONAL {{ GRAPH ?g {{ ?a r2p:year ?year }} }}
            OPTIONAL {{ GRAPH ?g {{ ?a r2p:atMeeting ?meeting }}
                       OPTIONAL {{ ?meeting r2p:ordinal ?ordinal }} OPTIONAL {{ ?meeting r2p:startDate ?start }}
                       OPTIONAL {{ ?meeting a ?type }} OPTIONAL {{ ?meeting r2p:ofNetwork ?network }} }}
          }} UNION {{
            GRAPH ?g {{ ?person r2p:affiliatedWith ?org }}
            FILTER NOT EXISTS {{ GRAPH ?g {{ {{ ?x r2p:holder ?person }} UNION {{ ?person r2p:holdsRole ?x }} }} }}
            BIND(?person AS ?a)
            OPTIONAL {{ GRAPH ?g {{ ?meeting r2p:hasParticipant ?person }}
                       OPTIONAL {{ ?meeting r2p:ordinal ?ordinal }} OPTIONAL {{ ?meeting r2p:startDate ?start }}
                       OPTIONAL {{ ?meeting a ?type }} OPTIONAL {{ ?meeting r2p:ofNetwork ?network }} }}
          }}
          FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))
        }}""")
    facts = []
    for (g, a), rs in _group_pairs(rows, "g", "a").items():
        slug = graph_slug(g)
        meeting = _first(rs, "meeting")
        fields = {
            "person": _first(rs, "person"), "role": _first(rs, "role"), "organization": _first(rs, "org"),
            "year": _year(_first(rs, "year")) or _year(_first(rs, "start")),
            "meeting_ordinal": _int(_first(rs, "ordinal")),
            "meeting": meeting_series(graph, meeting, _values(rs, "network"), _values(rs, "type"), slug) if meeting else None,
            "former": any(norm(n).startswith("former ") for n in graph.names(_first(rs, "role"))[:-1]),
            "whole_title": _values(rs, "title"),
        }
        evidence = (graph.sentence(slug, a, iris_r2p("holder")) or graph.sentence(slug, a, iris_r2p("heldByOrganization"))
                    or graph.sentence(slug, a))
        focal = any("focal point" in norm(n) for n in graph.names(fields["role"])[:-1])
        facts.append(GraphFact(slug, "person_role", a, fields, _shown(graph, fields), evidence,
                               covered_by="focal_point" if focal else None))
    return facts


def mechanism_facts(graph: Graph) -> list[GraphFact]:
    rows = select(graph.store, f"""
        SELECT ?g ?m ?by ?date ?adopted ?proposer ?proposed ?under ?owner ?kind ?partner WHERE {{
          GRAPH ?g {{ ?m a ?type }} ?type rdfs:subClassOf* r2p:Mechanism .
          FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:establishedBy|r2p:adoptedBy ?by }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:launchedOn|r2p:date|r2p:year ?date }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:adoptedBy ?adopted }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:proposedBy ?proposer }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:isProposed ?proposed }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:establishedUnder ?under }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:ownedBy ?owner }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:kindOf ?kind }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:hasPartner ?partner }} }}
        }}""")
    facts = []
    for (g, m), rs in _group_pairs(rows, "g", "m").items():
        slug = graph_slug(g)
        fields = {"name": m, "launched": _first(rs, "date"), "launched_by": _values(rs, "by"),
                  "adopted_by": _values(rs, "adopted"), "proposed_by": _values(rs, "proposer"),
                  "proposed": _bool(_first(rs, "proposed")) or False, "under": _values(rs, "under"),
                  "owner": _values(rs, "owner"), "kind_of": _first(rs, "kind"), "partners": _values(rs, "partner")}
        facts.append(GraphFact(slug, "mechanism", m, fields, _shown(graph, fields), graph.sentence(slug, m)))
    return facts


def network_size_facts(graph: Graph) -> list[GraphFact]:
    rows = select(graph.store, f"""
        SELECT ?g ?o ?states ?orgs ?date WHERE {{
          GRAPH ?g {{ {{ ?o a r2p:NetworkSizeObservation }} UNION {{ ?o r2p:stateCount [] }} }}
          FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))
          OPTIONAL {{ GRAPH ?g {{ ?o r2p:stateCount ?states }} }}
          OPTIONAL {{ GRAPH ?g {{ ?o r2p:organizationCount ?orgs }} }}
          OPTIONAL {{ GRAPH ?g {{ ?o r2p:date|r2p:year ?date }} }}
        }}""")
    facts = []
    for (g, o), rs in _group_pairs(rows, "g", "o").items():
        slug = graph_slug(g)
        fields = {"date": _first(rs, "date"), "states": _int(_first(rs, "states")),
                  "regional_organizations": _int(_first(rs, "orgs"))}
        evidence = graph.sentence(slug, o, iris_r2p("stateCount")) or graph.sentence(slug, o)
        facts.append(GraphFact(slug, "network_size", o, fields, dict(fields), evidence))
    return facts


STATUSES = {"StatusAppointed": "appointed", "StatusNotYetAppointed": "not_yet_appointed",
            "StatusBeingAppointed": "being_appointed"}


def focal_point_facts(graph: Graph) -> list[GraphFact]:
    """Each focal point post a document names, dated and given a status by that document's description
    of it (r2p:PostDescription); and each status a document states with no post ('X has not yet appointed
    a focal point')."""
    rows = select(graph.store, f"""
        SELECT ?g ?agent ?post ?title ?body ?person ?date ?status WHERE {{
          GRAPH ?g {{ {{ ?agent r2p:hasFocalPoint ?post }} UNION {{ ?post r2p:focalPointOf ?agent }} }}
          FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))
          OPTIONAL {{ GRAPH ?g {{ ?post r2p:positionTitle ?title }} }}
          OPTIONAL {{ GRAPH ?g {{ ?post r2p:withinBody ?body }} }}
          OPTIONAL {{ GRAPH ?g {{ {{ ?post org:heldBy ?person }} UNION {{ ?person org:holds ?post }} }} }}
          OPTIONAL {{ GRAPH ?g {{ ?d r2p:describesPost ?post ; r2p:asOf ?date }} }}
          OPTIONAL {{ GRAPH ?g {{ ?d2 r2p:describesPost ?post ; r2p:appointmentStatus ?status }} }}
        }}""")
    facts = []
    for (g, post), rs in _group_pairs(rows, "g", "post").items():
        slug = graph_slug(g)
        positions = _values(rs, "title") + [n for b in _values(rs, "body") for n in graph.names(b)[:1]]
        fields = {"state": _first(rs, "agent"), "position": positions or None, "person": _first(rs, "person"),
                  "date": _first(rs, "date"), "status": _status(_first(rs, "status"))}
        evidence = graph.sentence(slug, fields["state"], iris_r2p("hasFocalPoint")) or graph.sentence(slug, post)
        facts.append(GraphFact(slug, "focal_point", post, fields, _shown(graph, fields), evidence))
    for row in select(graph.store, f"""
        SELECT ?g ?d ?agent ?date ?status WHERE {{
          GRAPH ?g {{ ?d a r2p:PostDescription ; r2p:describesAgent ?agent ; r2p:appointmentStatus ?status }}
          FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))
          FILTER NOT EXISTS {{ GRAPH ?g {{ ?d r2p:describesPost ?anyPost }} }}
          OPTIONAL {{ GRAPH ?g {{ ?d r2p:asOf ?date }} }}
        }}"""):
        slug = graph_slug(row["g"])
        fields = {"state": row["agent"], "position": None, "person": None, "date": row.get("date"),
                  "status": _status(row["status"])}
        facts.append(GraphFact(slug, "focal_point", row["d"], fields, _shown(graph, fields),
                               graph.sentence(slug, row["d"], iris_r2p("appointmentStatus"))))
    return facts


def _status(iri: str | None) -> str | None:
    return STATUSES.get(iri.rsplit("#", 1)[-1]) if iri else None


def membership_facts(graph: Graph) -> list[GraphFact]:
    """Members of coordination groups (r2p:GroupMembership), with since when and as of when."""
    rows = select(graph.store, f"""
        SELECT ?g ?ms ?group ?member ?since ?asOf ?year WHERE {{
          GRAPH ?g {{ ?ms r2p:group ?group ; r2p:groupMember ?member }}
          FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))
          OPTIONAL {{ GRAPH ?g {{ ?ms r2p:since ?since }} }}
          OPTIONAL {{ GRAPH ?g {{ ?ms r2p:asOf ?asOf }} }}
          OPTIONAL {{ GRAPH ?g {{ ?ms r2p:year ?year }} }}
        }}""")
    facts = []
    for (g, ms), rs in _group_pairs(rows, "g", "ms").items():
        slug = graph_slug(g)
        fields = {"group": _first(rs, "group"), "member": _first(rs, "member"), "since": _first(rs, "since"),
                  "as_of": _first(rs, "asOf"), "year": _year(_first(rs, "year"))}
        facts.append(GraphFact(slug, "membership", ms, fields, _shown(graph, fields),
                               graph.sentence(slug, ms, iris_r2p("groupMember")) or graph.sentence(slug, ms)))
    return facts


def appointment_facts(graph: Graph) -> list[GraphFact]:
    rows = select(graph.store, f"""
        SELECT ?g ?a ?by ?date ?year ?intent WHERE {{
          GRAPH ?g {{ ?a a r2p:AppointmentAnnouncement }}
          FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))
          OPTIONAL {{ GRAPH ?g {{ ?a r2p:announcedBy ?by }} }}
          OPTIONAL {{ GRAPH ?g {{ ?a r2p:date ?date }} }}
          OPTIONAL {{ GRAPH ?g {{ ?a r2p:year ?year }} }}
          OPTIONAL {{ GRAPH ?g {{ ?a r2p:intent ?intent }} }}
        }}""")
    facts = []
    for (g, a), rs in _group_pairs(rows, "g", "a").items():
        slug = graph_slug(g)
        fields = {"state": _first(rs, "by"), "date": _first(rs, "date") or _first(rs, "year"),
                  "intent": _first(rs, "intent")}
        evidence = graph.sentence(slug, a, iris_r2p("announcedBy")) or graph.sentence(slug, a)
        facts.append(GraphFact(slug, "appointment", a, fields, _shown(graph, fields), evidence))
    return facts


def situation_facts(graph: Graph) -> list[GraphFact]:
    rows = select(graph.store, f"""
        SELECT ?g ?s ?country ?crime WHERE {{
          GRAPH ?g {{ ?s a r2p:AtrocitySituation }}
          FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))
          OPTIONAL {{ GRAPH ?g {{ ?s r2p:situationIn ?country }} }}
          OPTIONAL {{ GRAPH ?g {{ ?s r2p:involvesCrime ?crime }} }}
        }}""")
    facts = []
    for (g, s), rs in _group_pairs(rows, "g", "s").items():
        slug = graph_slug(g)
        country = _first(rs, "country")
        state = country if country and "/state/" in country else None
        # A situation in no state (Srebrenica, a region): its place is itself, or the region it is in.
        fields = {"country": country or s, "crimes": _values(rs, "crime"), "place": None if state else (country or s),
                  "state": state}
        facts.append(GraphFact(slug, "situation", s, fields, _shown(graph, fields), graph.sentence(slug, s)))
    return facts


def recommendation_facts(graph: Graph) -> list[GraphFact]:
    """Each r2p:Recommendation of a document: its text, kind (the concept's label), number, the
    meeting's ordinal and what it names (r2p:mentions and its sub-properties)."""
    rows = select(graph.store, f"""
        SELECT ?g ?r ?text ?kind ?number ?ordinal ?named WHERE {{
          GRAPH ?g {{ ?r a r2p:Recommendation }}
          FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))
          OPTIONAL {{ GRAPH ?g {{ ?r r2p:text ?text }} }}
          OPTIONAL {{ GRAPH ?g {{ ?r r2p:recommendationKind ?kindIri }} ?kindIri skos:prefLabel ?kind }}
          OPTIONAL {{ GRAPH ?g {{ ?r r2p:number ?number }} }}
          OPTIONAL {{ GRAPH ?g {{ ?m r2p:hasRecommendation ?r }} OPTIONAL {{ GRAPH ?g {{ ?m r2p:ordinal ?ordinal }} }} }}
          OPTIONAL {{ GRAPH ?g {{ ?r r2p:mentions|r2p:addresses|r2p:recommendsMechanism ?named }} }}
        }}""")
    facts = []
    for (g, r), rs in _group_pairs(rows, "g", "r").items():
        slug = graph_slug(g)
        fields = {"text": _first(rs, "text"), "recommendation_kind": _first(rs, "kind"),
                  "number": _int(_first(rs, "number")), "meeting_ordinal": _int(_first(rs, "ordinal")),
                  "names": _values(rs, "named")}
        facts.append(GraphFact(slug, "recommendation", r, fields, _shown(graph, fields),
                               graph.sentence(slug, r, iris_r2p("text")) or graph.sentence(slug, r)))
    return facts


def theme_facts(graph: Graph) -> list[GraphFact]:
    """Each sentence a document says discusses a theme (r2p:discussesTheme), with the sentence's text."""
    rows = select(graph.store, f"""
        SELECT ?g ?sentence ?theme ?text WHERE {{
          GRAPH ?g {{ ?sentence r2p:discussesTheme ?theme }}
          FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))
          BIND(IRI(CONCAT("{EVIDENCE_GRAPH_PREFIX}", STRAFTER(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))) AS ?evidence)
          OPTIONAL {{ GRAPH ?evidence {{ ?sentence oa:exact ?text }} }}
        }}""")
    facts = []
    for row in rows:
        slug = graph_slug(row["g"])
        fields = {"theme": row["theme"], "sentence": row.get("text", "")}
        facts.append(GraphFact(slug, "theme", row["sentence"], fields, {"theme": graph.name(row["theme"])},
                               row.get("text", "")))
    return facts


def practice_facts(graph: Graph) -> list[GraphFact]:
    """National and organizational practices (r2p:Practice): actors, kind (its skos:notation), what it
    produced or concerned, date, place."""
    rows = select(graph.store, f"""
        SELECT ?g ?p ?actor ?kind ?object ?date ?place ?partner WHERE {{
          GRAPH ?g {{ ?p a r2p:Practice }}
          FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))
          OPTIONAL {{ GRAPH ?g {{ ?p r2p:actor ?actor }} }}
          OPTIONAL {{ GRAPH ?g {{ ?p r2p:practiceKind ?concept }} OPTIONAL {{ ?concept skos:notation ?kind }} }}
          OPTIONAL {{ GRAPH ?g {{ ?p r2p:produced|r2p:concerns ?object }} }}
          OPTIONAL {{ GRAPH ?g {{ ?p r2p:date|r2p:year ?date }} }}
          OPTIONAL {{ GRAPH ?g {{ ?p r2p:practicePlace ?place }} }}
          OPTIONAL {{ GRAPH ?g {{ ?p r2p:practicePartner ?partner }} }}
        }}""")
    facts = []
    for (g, p), rs in _group_pairs(rows, "g", "p").items():
        slug = graph_slug(g)
        fields = {"actors": _values(rs, "actor"), "practice_kind": _first(rs, "kind"), "object": _first(rs, "object"),
                  "date": _first(rs, "date"), "place": _first(rs, "place"), "partners": _values(rs, "partner")}
        evidence = graph.sentence(slug, p, iris_r2p("actor")) or graph.sentence(slug, p)
        facts.append(GraphFact(slug, "practice", p, fields, _shown(graph, fields), evidence))
    return facts


GRAPH_READERS: dict[str, Callable[[Graph], list[GraphFact]]] = {
    "meeting": meeting_facts, "participant_state": participant_facts, "person_role": person_role_facts,
    "mechanism": mechanism_facts, "network_size": network_size_facts, "focal_point": focal_point_facts,
    "appointment": appointment_facts, "situation": situation_facts, "membership": membership_facts,
    "recommendation": recommendation_facts,
    "theme": theme_facts,
    "practice": practice_facts,
}


def iris_r2p(local: str) -> str:
    return str(R2P[local])


def _group_pairs(rows: list[dict], a: str, b: str) -> dict[tuple[str, str], list[dict]]:
    grouped: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        grouped[(row[a], row[b])].append(row)
    return grouped


def _group_triples(rows: list[dict], a: str, b: str, c: str) -> dict[tuple[str, str, str], list[dict]]:
    grouped: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for row in rows:
        grouped[(row[a], row[b], row[c])].append(row)
    return grouped


def _shown(graph: Graph, fields: dict) -> dict:
    """Entity IRIs replaced by their preferred labels, for people to read."""
    def show(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("https://w3id.org/r2pkg/"):
            return graph.name(value)
        if isinstance(value, list):
            return [show(v) for v in value]
        return value
    return {k: show(v) for k, v in fields.items()}


# ------------------------------------------------------------------------------------------
# Comparing a gold field with a graph field
# ------------------------------------------------------------------------------------------

Compare = Callable[[Any, Any, dict, dict, Graph], bool]   # gold value, graph value, gold fields, graph fields


def same_value(gold: Any, actual: Any, _fields: dict, _facts: dict, _graph: Graph) -> bool:
    return gold == actual


def same_entity(gold: str | None, actual: str | None, _fields: dict, _facts: dict, graph: Graph) -> bool:
    if gold is None or actual is None:
        return gold is None and actual is None
    return names_match(gold, graph.names(actual))


def same_entities(gold: list[str] | None, actual: list[str], _fields: dict, _facts: dict, graph: Graph,
                  tolerated: Sequence[str] = ()) -> bool:
    """Each gold name is a distinct graph entity, and each graph entity is a gold or tolerated name."""
    gold = list(gold or [])
    left = list(actual)
    for name in gold:
        hit = next((a for a in left if names_match(name, graph.names(a))), None)
        if hit is None:
            return False
        left.remove(hit)
    return all(any(names_match(t, graph.names(a)) for t in tolerated) for a in left)


def same_organization(gold: str | None, actual: str | None, _fields: dict, _facts: dict, graph: Graph) -> bool:
    """The gold's organization, or a part of it: a state's foreign ministry is right for the state."""
    if gold is None or actual is None:
        return gold is None and actual is None
    return any(names_match(gold, graph.names(org)) for org in graph.ancestors(actual))


def same_hosts(gold: list[str] | None, actual: list[str], fields: dict, _facts: dict, graph: Graph) -> bool:
    """Exactly the gold's hosts. An organization the gold names in `in_association_with` (the development
    set's field, kept but not judged: its annotator put partners 'in collaboration with' there too) is
    tolerated among the graph's hosts; the bundled gold judges partners in `partners`."""
    return same_entities(gold, actual, fields, _facts, graph, tolerated=fields.get("in_association_with") or ())


def same_date(gold: str | None, actual: str | None, _fields: dict, _facts: dict, _graph: Graph) -> bool:
    """ISO dates at the gold's precision: '2010-09' is right for any day of that month."""
    if gold is None or actual is None:
        return gold is None and actual is None
    return str(actual).startswith(str(gold)) and len(str(actual)) >= len(str(gold))


def same_year(gold: int | None, actual: int | None, _fields: dict, _facts: dict, _graph: Graph) -> bool:
    return (None if gold is None else int(gold)) == actual


def same_role(gold: str | None, actual: str | None, fields: dict, facts: dict, graph: Graph) -> bool:
    """A role and its organization say together what the gold's role says: the graph's 'Secretary-
    General' in the ministry matches 'Secretary-General of the Ministry'; a role label may also
    carry the gold's organization ('Chair of the X'), which is then set aside."""
    if gold is None or actual is None:
        return gold is None and actual is None
    labels = graph.names(actual)[:-1] or graph.names(actual)
    labels = labels + [f"{label} {org}" for label in labels for org in graph.names(facts.get("organization"))[:1]]
    organization = norm(fields.get("organization") or "")
    if organization:
        labels = labels + [norm(label).replace(organization, " ") for label in labels]
    return any(roles_match(gold, label) for label in labels)


def same_whole_title(gold: str | None, actual: list[str], _fields: dict, _facts: dict, _graph: Graph) -> bool:
    """The title as written, whole: equal once normalised, a parenthesis of the text set aside."""
    def bare(text: str) -> str:
        return norm(re.sub(r"\s*\([^)]*\)", "", text))
    if gold is None or not actual:
        return gold is None and not actual
    return any(bare(gold) == bare(a) for a in actual)


def same_position(gold: str | None, actual: list[str] | None, _fields: dict, _facts: dict, _graph: Graph) -> bool:
    if gold is None or not actual:
        return gold is None and not actual
    return any(roles_match(gold, a) or norm(gold) in norm(a) for a in actual)


def same_series(gold: str | None, actual: str | None, _fields: dict, _facts: dict, _graph: Graph) -> bool:
    """The Global Network's series on both sides, or another series named alike."""
    gold_gn = gold is None or is_global_network(gold)
    if gold_gn or actual is None or is_global_network(actual):
        return gold_gn == (actual is None or is_global_network(actual))
    g, a = norm(_expand_acronyms(gold, actual)), norm(actual)
    if g in a or a in g:
        return True
    gw, aw = _series_words(g), _series_words(a)
    return bool(gw) and bool(aw) and (gw <= aw or aw <= gw)


_ROMAN = re.compile(r"^[ivxlc]+$")


def _series_words(name: str) -> set[str]:
    """The words that name a series, without its ordinal ('xii', '12th') and small words."""
    return {w for w in name.split() if not _ROMAN.match(w) and not re.match(r"^\d+(?:st|nd|rd|th)?$", w)
            and w not in ("of", "for", "on", "and", "in", "a")}


def _expand_acronyms(gold: str, actual: str) -> str:
    """An acronym of the gold name written out when the other name spells it: 'XII LAN Meeting' beside
    'Meeting of the Latin American Network' is the Latin American Network's meeting to a reader."""
    words = re.findall(r"[A-Z][\w'’-]*", actual)
    for acronym in set(re.findall(r"\b[A-Z]{2,6}\b", gold)):
        for start in range(len(words) - len(acronym) + 1):
            run = words[start:start + len(acronym)]
            if "".join(w[0] for w in run) == acronym:
                gold = re.sub(rf"\b{acronym}\b", " ".join(run), gold)
                break
    return gold


def same_crimes(gold: list[str] | None, actual: list[str], _fields: dict, _facts: dict, graph: Graph) -> bool:
    return sorted(norm(c) for c in gold or []) == sorted(norm(graph.name(c) or c) for c in actual)


def same_distinction(gold: str | None, actual: list[str], _fields: dict, _facts: dict, _graph: Graph) -> bool:
    """The gold's statement about the meeting is one of the graph's distinctions (null: none)."""
    if gold is None:
        return not actual
    return any(norm(gold) in norm(a) or norm(a) in norm(gold) for a in actual)


def names_at_least(gold: list[str] | None, actual: list[str], _fields: dict, _facts: dict, graph: Graph) -> bool:
    """Each gold name is a distinct entity the graph links (the graph may link more: a crime or pillar
    inside a title)."""
    left = list(actual)
    for name in gold or []:
        hit = next((a for a in left if names_match(name, graph.names(a))), None)
        if hit is None:
            return False
        left.remove(hit)
    return True


def same_object(gold: str | None, actual: str | None, _fields: dict, _facts: dict, graph: Graph) -> bool:
    """What a practice produced or concerned: a name, or a description ('academic adviser') that one of
    the graph object's labels says or contains."""
    if gold is None or actual is None:
        return gold is None and actual is None
    labels = graph.names(actual)
    if names_match(gold, labels):
        return True
    wanted = [v for v in name_variants(gold)]
    return any(roles_match(gold, label) or any(v in norm(label) or norm(label) in v for v in wanted)
               for label in labels[:-1] or labels)


# The fields each kind judges; fields of the gold not named here are not compared (docs/extraction.md).
FIELDS: dict[str, dict[str, Compare]] = {
    "meeting": {"series": same_series, "ordinal": same_value, "year": same_year, "start_date": same_date,
                "end_date": same_date, "city": same_entity, "country": same_entity, "hosts": same_hosts,
                "partners": same_entities,
                "announced_hosts": same_entities, "participant_count": same_value, "more_than": same_value,
                "planned": same_value, "distinction": same_distinction},
    "participant_state": {"state": same_entity, "meeting": same_series, "meeting_ordinal": same_value,
                          "year": same_year},
    "person_role": {"person": same_entity, "role": same_role, "organization": same_organization, "year": same_year,
                    "meeting_ordinal": same_value, "meeting": same_series, "former": same_value,
                    "whole_title": same_whole_title},
    "mechanism": {"name": same_entity, "launched": same_date, "launched_by": same_entities,
                  "adopted_by": same_entities, "proposed_by": same_entities, "proposed": same_value,
                  "under": same_entities, "owner": same_entities, "kind_of": same_entity, "partners": same_entities},
    "network_size": {"date": same_date, "states": same_value, "regional_organizations": same_value},
    "focal_point": {"state": same_entity, "position": same_position, "person": same_entity, "date": same_date,
                    "status": same_value},
    "appointment": {"state": same_entity, "date": same_date, "intent": same_value},
    "situation": {"country": same_entity, "crimes": same_crimes, "place": same_entity, "state": same_entity},
    "membership": {"group": same_entity, "member": same_entity, "since": same_date, "as_of": same_date},
    "recommendation": {"meeting_ordinal": same_value, "recommendation_kind": same_value, "number": same_value,
                       "names": names_at_least},
    "theme": {},                 # the theme and the sentence are the core: a theme fact is found or missed
    "practice": {"actors": same_entities, "practice_kind": same_value, "object": same_object, "date": same_date,
                 "place": same_entity, "partners": same_entities},
}
ALWAYS_JUDGED = {("participant_state", "meeting")}   # absent means: a Global Network annual meeting


Core = Callable[[dict, dict, Graph], int]


def meeting_core(g: dict, a: dict, graph: Graph) -> int:
    """The same number surely; else the same city or first day plausibly (a number read wrong)."""
    if g.get("ordinal") is not None and g["ordinal"] == a["ordinal"]:
        return 2
    if g.get("city") and a["city"] and names_match(g["city"], graph.names(a["city"])):
        return 1
    return 1 if g.get("start_date") and g["start_date"] == a["start_date"] else 0


def network_size_core(g: dict, a: dict, _graph: Graph) -> int:
    """Any size statement of the document, surely when the state counts agree."""
    return 2 if g.get("states") is not None and g["states"] == a["states"] else 1


def mechanism_core(g: dict, a: dict, graph: Graph) -> int:
    names = [g.get("name"), *(g.get("aliases") or [])]
    return 2 if any(names_match(n, graph.names(a["name"])) for n in names if n) else 0


def membership_core(g: dict, a: dict, graph: Graph) -> int:
    """The same member of the same group."""
    return 2 if all(g.get(k) is not None and names_match(g[k], graph.names(a[k])) for k in ("member", "group")) else 0


def named_core(key: str) -> Core:
    """The core of a fact about one named entity: the state, the person, the country."""
    def core(g: dict, a: dict, graph: Graph) -> int:
        return 2 if g.get(key) is not None and names_match(g[key], graph.names(a[key])) else 0
    return core


def situation_core(g: dict, a: dict, graph: Graph) -> int:
    """The situation of the gold's country, or of the place it names (a place, region or event in no state)."""
    key = "country" if g.get("country") is not None else "place"
    return 2 if g.get(key) is not None and names_match(g[key], graph.names(a[key] or a["country"])) else 0


def recommendation_core(g: dict, a: dict, _graph: Graph) -> int:
    """The graph item whose text holds the gold's words (spacing, case and punctuation aside)."""
    words = _plain(g.get("text") or "")
    return 2 if words and words in _plain(a.get("text") or "") else 0


def _plain(text: str) -> str:
    return " " + " ".join(re.findall(r"[^\W_]+", norm(text))) + " "


def _spaced(text: str) -> str:
    return " ".join(text.split())


def theme_core(g: dict, a: dict, graph: Graph) -> int:
    """The same theme (by its label, alternative label or slug) said of the same sentence: the gold's quote and the
    graph's sentence are one, or one holds the other (the loaders may cut a sentence elsewhere)."""
    if not names_match(g.get("theme"), graph.names(a["theme"])):
        return 0
    quote, sentence = _spaced(g.get("_quote", "")), _spaced(a["sentence"])
    return 2 if quote and sentence and (quote in sentence or sentence in quote) else 0


def practice_core(g: dict, a: dict, graph: Graph) -> int:
    """A practice of one of the same actors: surely when of the same kind too."""
    shared = any(names_match(name, graph.names(actor)) for name in g.get("actors") or [] for actor in a["actors"])
    if not shared:
        return 0
    return 2 if g.get("practice_kind") is not None and g["practice_kind"] == a["practice_kind"] else 1


CORES: dict[str, Core] = {
    "meeting": meeting_core, "network_size": network_size_core, "mechanism": mechanism_core,
    "participant_state": named_core("state"), "person_role": named_core("person"), "focal_point": named_core("state"),
    "appointment": named_core("state"), "situation": situation_core, "membership": membership_core,
    "recommendation": recommendation_core,
    "theme": theme_core,
    "practice": practice_core,
}


def core_strength(gold: GoldFact, fact: GraphFact, graph: Graph) -> int:
    """How surely the graph fact is about the gold fact's thing: 0 not, 1 plausibly, 2 surely."""
    return CORES[gold.kind]({**gold.fields, "_quote": gold.quote}, fact.fields, graph)


def judged_fields(gold: GoldFact) -> list[str]:
    return [f for f in FIELDS[gold.kind] if f in gold.fields or (gold.kind, f) in ALWAYS_JUDGED]


def wrong_fields(gold: GoldFact, fact: GraphFact, graph: Graph) -> dict[str, dict]:
    """The fields the gold gives that the graph has otherwise, with both values."""
    wrong = {}
    for name in judged_fields(gold):
        if gold.kind == "mechanism" and name == "name":
            continue            # the name is the core, matched with the aliases
        compare = FIELDS[gold.kind][name]
        if not compare(gold.fields.get(name), fact.fields.get(name), gold.fields, fact.fields, graph):
            wrong[name] = {"gold": gold.fields.get(name), "graph": fact.shown.get(name)}
            if fact.field_evidence.get(name):
                wrong[name]["evidence"] = fact.field_evidence[name]
    return wrong


# ------------------------------------------------------------------------------------------
# Pairing and judging
# ------------------------------------------------------------------------------------------

@dataclass
class Judgement:
    verdict: str            # found, wrong, missed, spurious; "optional" for optional gold facts
    kind: str
    doc: str
    gold: dict | None = None
    graph: dict | None = None
    wrong_fields: dict = field(default_factory=dict)
    quote: str = ""          # the gold fact's sentence
    evidence: str = ""       # the graph fact's evidence sentence


def pair(golds: list[GoldFact], facts: list[GraphFact], graph: Graph) -> list[tuple[GoldFact, GraphFact | None]]:
    """Each gold fact with its best graph fact: surest core first, then most fields right;
    required gold facts choose before optional ones."""
    candidates = []
    for gold in golds:
        for j, fact in enumerate(facts):
            strength = core_strength(gold, fact, graph)
            if strength:
                right = len(judged_fields(gold)) - len(wrong_fields(gold, fact, graph))
                candidates.append((not gold.optional, strength, right, -gold.index, -j, gold, j))
    candidates.sort(key=lambda c: c[:5], reverse=True)
    chosen: dict[int, int] = {}
    taken: set[int] = set()
    for *_, gold, j in candidates:
        if gold.index not in chosen and j not in taken:
            chosen[gold.index] = j
            taken.add(j)
    return [(g, facts[chosen[g.index]] if g.index in chosen else None) for g in golds]


def judge_document(slug: str, doc: str, golds: list[GoldFact], facts: list[GraphFact], graph: Graph) -> list[Judgement]:
    judgements = []
    paired = pair(golds, facts, graph)
    used = {id(f) for _, f in paired if f is not None}
    for gold, fact in paired:
        gold_view = {"kind": gold.kind, **gold.fields}
        if fact is None:
            verdict, wrong = ("optional" if gold.optional else "missed"), {}
        else:
            wrong = wrong_fields(gold, fact, graph)
            verdict = "optional" if gold.optional else ("wrong" if wrong else "found")
        judgements.append(Judgement(verdict, gold.kind, doc, gold_view, fact.shown if fact else None, wrong,
                                    gold.quote, fact.evidence if fact else ""))
    for fact in facts:
        if id(fact) not in used and not fact.covered_by:
            judgements.append(Judgement("spurious", fact.kind, doc, None, fact.shown, {}, "", fact.evidence))
    return judgements


# ------------------------------------------------------------------------------------------
# The two checks
# ------------------------------------------------------------------------------------------

def other_series_meetings(judgements: list[Judgement]) -> list[dict]:
    """Meetings the gold puts in another series that the graph made Global Network annual meetings."""
    found = []
    for j in judgements:
        if j.kind == "meeting" and j.gold and j.graph and not is_global_network(j.gold.get("series") or GLOBAL_NETWORK):
            if is_global_network(j.graph.get("series")):
                found.append({"doc": j.doc, "series": j.gold.get("series"), "graph_ordinal": j.graph.get("ordinal"),
                              "quote": j.quote, "evidence": j.evidence})
    return found


DATE_PROPERTIES = ("startDate", "endDate", "date", "year", "asOf", "since")
URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+")


def dated_facts(graph: Graph, docs: dict[str, str]) -> list[dict]:
    """Every date a scored document's graph asserts, with where the text states its year: in the
    evidence sentence, elsewhere in the text (a page's date line), or nowhere (URLs aside: a
    year in a link is not a statement)."""
    rows = select(graph.store, f"""
        SELECT ?g ?s ?p ?value WHERE {{
          GRAPH ?g {{ ?s ?p ?value }}
          VALUES ?p {{ {" ".join(f"r2p:{p}" for p in DATE_PROPERTIES)} }}
          FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))
        }} ORDER BY ?g ?s ?p""")
    dated = []
    for row in rows:
        slug, year = graph_slug(row["g"]), row["value"][:4]
        if slug not in docs or not year.isdigit():
            continue
        sentence = graph.sentence(slug, row["s"], row["p"], row["value"])
        stated = re.compile(rf"(?<!\d){year}(?!\d)")
        where = ("sentence" if stated.search(URL.sub(" ", sentence))
                 else "elsewhere" if stated.search(URL.sub(" ", graph.texts.get(slug, ""))) else "nowhere")
        dated.append({"doc": docs[slug], "subject": graph.name(row["s"]) or row["s"], "property": row["p"].rsplit("#", 1)[-1],
                      "value": row["value"], "year_stated": where, "evidence": sentence})
    return dated


def invented_years(dated: list[dict]) -> list[dict]:
    """Dates whose year the document's text never states."""
    return [d for d in dated if d["year_stated"] == "nowhere"]


def borrowed_years(dated: list[dict]) -> list[dict]:
    """Meeting dates whose year is not in their evidence sentence but elsewhere in the text: not
    invented, but worth a look (the year of a page's date line is its publication's, not the
    meeting's). Other dated facts take their year from the meeting as a rule, and are left out."""
    return [d for d in dated if d["year_stated"] == "elsewhere" and d["property"] in ("startDate", "endDate")]


# ------------------------------------------------------------------------------------------
# The evaluation
# ------------------------------------------------------------------------------------------

@dataclass
class KindScore:
    gold: int = 0
    optional: int = 0
    found: int = 0
    missed: int = 0
    wrong: int = 0
    spurious: int = 0

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        asserted = self.found + self.wrong + self.spurious
        return self.found / asserted if asserted else None

    def as_dict(self) -> dict:
        return {**asdict(self), "recall": _round(self.recall), "precision": _round(self.precision)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass
class Evaluation:
    scores: dict[str, KindScore]
    judgements: list[Judgement]
    other_series: list[dict]
    invented_years: list[dict]
    borrowed_years: list[dict]
    problems: list[str]              # gold quotes not in their document, documents not built
    unscored: list[str]              # documents of the build the gold does not name

    @property
    def total(self) -> KindScore:
        total = KindScore()
        for s in self.scores.values():
            for name in ("gold", "optional", "found", "missed", "wrong", "spurious"):
                setattr(total, name, getattr(total, name) + getattr(s, name))
        return total

    def as_dict(self) -> dict:
        return {
            "kinds": {k: s.as_dict() for k, s in self.scores.items()},
            "total": self.total.as_dict(),
            "missed": [asdict(j) for j in self.judgements if j.verdict == "missed"],
            "wrong": [asdict(j) for j in self.judgements if j.verdict == "wrong"],
            "spurious": [asdict(j) for j in self.judgements if j.verdict == "spurious"],
            "found": [asdict(j) for j in self.judgements if j.verdict == "found"],
            "optional": [asdict(j) for j in self.judgements if j.verdict == "optional"],
            "checks": {
                "other_series": {"count": len(self.other_series), "meetings": self.other_series},
                "invented_years": {"count": len(self.invented_years), "dates": self.invented_years},
                "meeting_years_from_elsewhere_in_the_text": {"count": len(self.borrowed_years), "dates": self.borrowed_years},
            },
            "problems": self.problems,
            "unscored_documents": self.unscored,
        }


def quote_problems(golds: list[GoldFact], graph: Graph) -> list[str]:
    """Gold quotes must be exact substrings of their document, or the gold is mistyped."""
    problems = []
    for gold in golds:
        text = graph.texts.get(gold.slug)
        if text is None:
            continue
        for quote in (gold.quote, *gold.extra_quotes):
            if quote not in text:
                problems.append(f"{gold.doc}: fact {gold.index} ({gold.kind}): quote not in the document: {quote[:80]!r}")
    return problems


def evaluate(store: ox.Store, golds: list[GoldFact]) -> Evaluation:
    """Judge the built store against the gold facts (see the module docstring for the rules)."""
    graph = read_graph(store)
    kinds = [k for k in KINDS if any(g.kind == k for g in golds)]
    docs = {g.slug: g.doc for g in golds}
    problems = [f"{doc}: not in the build (no document with slug {slug!r})"
                for slug, doc in docs.items() if slug not in graph.texts]
    problems += quote_problems(golds, graph)
    judgements: list[Judgement] = []
    for kind in kinds:
        facts = [f for f in GRAPH_READERS[kind](graph) if f.slug in docs]
        for slug, doc in docs.items():
            golds_here = [g for g in golds if g.slug == slug and g.kind == kind]
            judgements += judge_document(slug, doc, golds_here, [f for f in facts if f.slug == slug], graph)
    scores = {k: KindScore() for k in kinds}
    for g in golds:
        if g.optional:
            scores[g.kind].optional += 1
        else:
            scores[g.kind].gold += 1
    for j in judgements:
        if j.verdict in VERDICTS:
            setattr(scores[j.kind], j.verdict, getattr(scores[j.kind], j.verdict) + 1)
    judgements.sort(key=lambda j: (j.doc, KINDS.index(j.kind), VERDICTS.index(j.verdict) if j.verdict in VERDICTS else 9))
    dated = dated_facts(graph, docs)
    return Evaluation(scores, judgements, other_series_meetings(judgements), invented_years(dated),
                      borrowed_years(dated), problems, sorted(set(graph.texts) - set(docs)))


def evaluate_corpus(corpus_dirs: Sequence[Path], gold_path: Path, data_dir: Path | None = None) -> Evaluation:
    """Build the corpus in a temporary data directory (or use the build already in data_dir, or
    build there when it has none) and evaluate it."""
    from .build import build
    from .store import has_store, open_store

    golds = load_gold(gold_path)
    temporary = None
    if data_dir is None:
        temporary = Path(tempfile.mkdtemp(prefix="r2pkg-evaluate-"))
        data_dir = temporary
    try:
        if not has_store(data_dir):
            build(corpus_dirs, data_dir)
        store = open_store(data_dir, read_only=True)
        return evaluate(store, golds)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


# ------------------------------------------------------------------------------------------
# Rendering
# ------------------------------------------------------------------------------------------

def render_table(evaluation: Evaluation) -> str:
    """The scores per kind, then every miss, wrong and spurious fact with its sentence, then the checks."""
    lines = [f"{'kind':<18} {'gold':>5} {'found':>6} {'missed':>7} {'wrong':>6} {'spurious':>9} {'recall':>7} "
             f"{'precision':>10} {'optional':>9}"]
    rows = list(evaluation.scores.items()) + [("total", evaluation.total)]
    for kind, s in rows:
        lines.append(f"{kind:<18} {s.gold:>5} {s.found:>6} {s.missed:>7} {s.wrong:>6} {s.spurious:>9} "
                     f"{_percent(s.recall):>7} {_percent(s.precision):>10} {s.optional:>9}")
    for verdict in ("missed", "wrong", "spurious"):
        items = [j for j in evaluation.judgements if j.verdict == verdict]
        lines += ["", f"{verdict.capitalize()} ({len(items)})"]
        for j in items:
            lines.append(f"- [{j.doc}] {j.kind}: {_describe(j)}")
            for name, values in j.wrong_fields.items():
                lines.append(f"    {name}: gold {values['gold']!r}, graph {values['graph']!r}")
                if values.get("evidence"):
                    lines.append(f"      read from: {_oneline(values['evidence'])}")
            if j.quote:
                lines.append(f"    gold sentence:  {_oneline(j.quote)}")
            if j.evidence:
                lines.append(f"    graph evidence: {_oneline(j.evidence)}")
    lines += ["", f"Meetings of another series placed in the Global Network's series: {len(evaluation.other_series)}"]
    lines += [f"- [{m['doc']}] {m['series']} (graph: annual meeting {m['graph_ordinal']}): {_oneline(m['quote'])}"
              for m in evaluation.other_series]
    lines += ["", f"Invented years: {len(evaluation.invented_years)}"]
    lines += [f"- [{d['doc']}] {d['subject']} {d['property']} {d['value']}: {_oneline(d['evidence']) or '(no evidence)'}"
              for d in evaluation.invented_years]
    lines += ["", f"Meeting years not in their evidence sentence but elsewhere in the text (not invented): "
                  f"{len(evaluation.borrowed_years)}"]
    lines += [f"- [{d['doc']}] {d['subject']} {d['property']} {d['value']}: {_oneline(d['evidence']) or '(no evidence)'}"
              for d in evaluation.borrowed_years]
    if evaluation.unscored:
        lines += ["", f"Documents the gold does not name (not scored): {', '.join(evaluation.unscored)}"]
    if evaluation.problems:
        lines += ["", f"Problems with the gold ({len(evaluation.problems)}):"] + [f"- {p}" for p in evaluation.problems]
    return "\n".join(lines)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _oneline(text: str, limit: int = 220) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _describe(j: Judgement) -> str:
    facts = j.gold if j.gold is not None else j.graph or {}
    shown = {k: v for k, v in facts.items() if k != "kind" and v not in (None, [], "")}
    keys = [k for k in ("series", "ordinal", "state", "person", "name", "country", "city", "role", "organization",
                        "date", "states", "meeting_ordinal", "start_date", "actors", "practice_kind", "object") if k in shown][:4]
    return ", ".join(f"{k}={shown[k]}" for k in keys) or json.dumps(shown, ensure_ascii=False)[:120]


def render_json(evaluation: Evaluation) -> str:
    return json.dumps(evaluation.as_dict(), indent=2, ensure_ascii=False)
