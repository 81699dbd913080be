"""Entity pages, Linked Data style: /id/... (303 by content negotiation), /page/... (HTML), /data/....ttl etc."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, redirect, render_template, request

from r2pkg.graph import iris
from r2pkg.graph.review import CURATED_EVIDENCE_GRAPH, CURATED_GRAPH
from r2pkg.graph.vocab import DOCUMENT_GRAPH_PREFIX, EVIDENCE_GRAPH_PREFIX, GAZETTEER_GRAPH, INFERRED_GRAPH, CORPUS_GRAPH, R2P

from . import graph_data
from .caching import kept_html
from .errors import NOT_AN_IRI, NotFound
from .practices import is_actor_kind, practices_of
from .untrusted import is_iri, printable
from .statements import (Evidence, Raw, Statement, StatementGroup, SummaryRow, value_sort_key, attach_evidence,
                         build_groups, fill_qualifiers, property_label, summary_card)
from .urls import DATA_FORMATS, EXTENSION_OF

bp = Blueprint("entity", __name__)

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OA = "http://www.w3.org/ns/oa#"
HIDDEN_INCOMING = {RDF + "subject", RDF + "object", OA + "hasBody", OA + "hasSource",
                   "http://www.w3.org/ns/prov#wasDerivedFrom"}
DESCRIPTION = (RDFS + "comment", "http://purl.org/dc/terms/description", "http://www.w3.org/2004/02/skos/core#definition")
EXTERNAL = ("http://www.w3.org/2002/07/owl#sameAs", "http://www.w3.org/2004/02/skos/core#exactMatch",
            "http://www.w3.org/2004/02/skos/core#closeMatch", RDFS + "seeAlso")
LABELS = (RDFS + "label", "http://www.w3.org/2004/02/skos/core#prefLabel")
# Graphs about facts rather than of facts: evidence (the documents' and the reviewers'), review decisions and
# rejected facts (graph/review.py). Their triples are never an entity's statements.
NOT_STATEMENTS = {"evidence", "decisions", "rejected"}
NEGOTIABLE = ["text/html", "application/xhtml+xml", *DATA_FORMATS.values(), "application/json"]

# The evidence of some facts about the entity, each in the evidence graph of the graph stating it: (?g ?p ?o)
# in a VALUES block, ?o the other end. Oxigraph follows the order written, so the end that names fewer
# evidence nodes in one document's evidence is written first: a state's own end (a few nodes per document,
# where a meeting it took part in names hundreds: 2.2 ms against 5.4 for 27 facts at 1M), but a meeting's
# other end (3.4 ms against 15 for its 48 facts). The sentences' offsets and text come from the search index
# (webapp/search.py), which holds them already; reading them here too would cost four lookups per node.
EVIDENCE_BATCH = 200
EVIDENCE_GRAPH_OF = {str(CURATED_GRAPH): str(CURATED_EVIDENCE_GRAPH)}
# Evidence nodes naming the entity per document above which its other end is the better start.
BUSY_END = 20


def _evidence_query(values: str, node: ox.NamedNode, direction: str, own_first: bool = True) -> str:
    own, other = (RDF + "subject", RDF + "object") if direction == "out" else (RDF + "object", RDF + "subject")
    first, then = (f"?ev <{own}> {node}", f"?ev <{other}> ?o") if own_first else (f"?ev <{other}> ?o",
                                                                                   f"?ev <{own}> {node}")
    return f"""SELECT ?p ?o ?sent WHERE {{
  VALUES (?g ?p ?o) {{ {values} }}
  GRAPH ?g {{ {first} . {then} ; <{RDF}predicate> ?p ; <{R2P}sentence> ?sent . }}
}}"""


def own_end_first(data, iri: str, direction: str, documents: int) -> bool:
    """Whether the entity names few evidence nodes per document in this direction (its facts' rdf:subject when
    it is their subject): then its own end is the better start of the evidence query."""
    counts = property_counts(data, iri)["in"]
    named = counts.get(RDF + ("subject" if direction == "out" else "object"), 0)
    return named <= BUSY_END * max(1, documents)


def evidence_graph_of(graph: str) -> str | None:
    """Where the sentences of a graph's facts are: a document's evidence graph, the reviewers' for the curated
    facts; None for graphs no sentence states (the reasoner's, the reference tables)."""
    if graph.startswith(DOCUMENT_GRAPH_PREFIX):
        return EVIDENCE_GRAPH_PREFIX + graph[len(DOCUMENT_GRAPH_PREFIX):]
    return EVIDENCE_GRAPH_OF.get(graph)


# Sentences the index lacks (not typed r2p:Sentence), read from the store.
_SENTENCES = f"""
SELECT ?sent ?start ?end ?exact ?doc WHERE {{
  ?sent <{OA}start> ?start ; <{OA}end> ?end ; <{OA}exact> ?exact ; <{OA}hasSource> ?doc .
}}"""
# How many triples of each property the entity has in the named graphs, as subject (?e ?p ?x) or object:
# counted by the store, so that a property with thousands of values is paged there, not read.
_COUNTS = {"out": "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e ?p ?x } } GROUP BY ?p",
           "in": "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?x ?p ?e } } GROUP BY ?p"}
# Properties whose triples are never statements of an entity: the evidence's (which fact, which sentence,
# which rule) and the mentions'. Not read at all, however many there are (a rule is named by every
# evidence node of its facts).
# Nor are the header's (labels and types, which the snapshot holds, each repeated by every document naming
# the entity), a document's text, or the external links (graphdata.external_links reads those).
NOT_READ = {"in": HIDDEN_INCOMING | {str(R2P) + "extractedBy", str(R2P) + "sentence"},
            "out": {RDF + "type", *LABELS, "http://www.w3.org/2004/02/skos/core#altLabel", str(R2P.text), *EXTERNAL}}
# A document's mentions of the entity, counted per document.
# A document's mentions of the entity are in its evidence graph (graph/iris.py: evidence_graph(slug)), so they
# are counted per graph, without reading each mention's oa:hasSource (17 ms against 2 for the hub's 2,293).
_MENTIONS = f"""SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?m <{OA}hasBody> ?e }} }} GROUP BY ?g"""


def mentions_of(data, node: ox.NamedNode) -> list[tuple[ox.NamedNode, int]]:
    """(document, mentions of the entity in it), the most mentions first."""
    counts = [(int(r["n"].value), r["g"].value[len(EVIDENCE_GRAPH_PREFIX):]) for r in data.query(_MENTIONS, e=node)
              if r["g"].value.startswith(EVIDENCE_GRAPH_PREFIX)]
    counts.sort(key=lambda c: (-c[0], c[1]))        # sorted here: Oxigraph orders IRIs slowly
    return [(ox.NamedNode(str(iris.document(slug))), n) for n, slug in counts]


MENTIONED_SHOWN = 50
EXTRACTED_BY = str(R2P) + "extractedBy"
EXTRACTED_BY_KEY = "^" + EXTRACTED_BY     # a rule page's ?property= for the facts it read


def _rule_facts_query(rule: ox.NamedNode, limit: int, offset: int) -> str:
    """One page of the evidence nodes naming the rule (the rule written in: VALUES would not reach the
    sub-SELECT), with the fact and the sentence of each."""
    return f"""SELECT ?ev ?s ?p ?o ?sent WHERE {{
  {{ SELECT ?ev WHERE {{ ?ev <{EXTRACTED_BY}> {rule} }} LIMIT {limit} OFFSET {offset} }}
  ?ev <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o ; <{R2P}sentence> ?sent .
}}"""


@dataclass
class EntityPage:
    iri: str
    label: str
    types: list[ox.NamedNode]
    descriptions: list[str]
    outgoing: list[StatementGroup]
    incoming: list[StatementGroup]
    alt_labels: list[str]
    mentioned_in: list[tuple[ox.NamedNode, int]]          # the documents mentioning it most, and how often
    graph_json: str
    mentioned_more: int = 0                     # documents mentioning it beyond those listed
    links: list = field(default_factory=list)   # graphdata.ExternalLink rows of the External links block
    map: object = None                          # graphdata.MapData, or None when there is no place to show
    map_json: str = ""
    summary: list[SummaryRow] = field(default_factory=list)   # the summary card, for the classes that have one
    page_size: int = 0
    evidence: dict = field(default_factory=dict)                # (property, other end) -> Evidence, for the review
    theme: str = ""                             # a theme of r2p:Themes: its slug, for the link to its theme page
    practices: list | None = None   # practices.Practice rows of a state or organization; None: not an actor
    rule_facts: "RuleFacts | None" = None   # an extraction rule's page: the facts it read, one page of them


@dataclass
class RuleFact:
    """One fact an extraction rule read, with the sentence it read it from."""

    subject: object
    predicate: ox.NamedNode
    object: object
    evidence: list[Evidence]


@dataclass
class RuleFacts:
    """A page of the facts a rule read (one row per evidence node naming it), in the store's order."""

    facts: list[RuleFact]
    total: int                      # evidence nodes naming the rule: every fact it read, once per sentence
    page: int
    page_size: int
    key: str = EXTRACTED_BY_KEY     # the ?property= that pages them

    @property
    def pages(self) -> int:
        return max(1, (self.total + self.page_size - 1) // self.page_size)


def source_of(graph) -> str:
    if isinstance(graph, ox.DefaultGraph) or graph is None:
        return "default"
    value = graph.value
    if value == str(INFERRED_GRAPH):
        return "inferred"
    if value.startswith(DOCUMENT_GRAPH_PREFIX):
        return "text"
    if value == str(GAZETTEER_GRAPH):
        return "reference"
    if value == str(CORPUS_GRAPH):
        return "metadata"
    if value.startswith(EVIDENCE_GRAPH_PREFIX):
        return "evidence"
    return value.rsplit("/", 1)[-1]


def _iri_or_404(path: str) -> str:
    from .urls import Urls

    path = path.strip("/")
    iri = Urls.iri_of(path)
    if not is_iri(iri):
        raise NotFound(f"No entity can be called “{printable(path)}”: {NOT_AN_IRI}.", hint=path.split("/")[-1],
                       what="entity")
    data = graph_data()
    if not path or not data.exists(iri):
        raise NotFound(f"Nothing in the graph is called <{iri}>.", hint=path.split("/")[-1], what="entity")
    return iri


def _distinct_types(data, types: list[ox.NamedNode]) -> list[ox.NamedNode]:
    """One badge per label, our own classes first: r2p:Agent, foaf:Agent and prov:Agent read the
    same to a reader (the data views keep all of them)."""
    ordered = sorted(set(types), key=lambda t: (not t.value.startswith(str(R2P)), data.label(t.value)))
    distinct, seen = [], set()
    for t in ordered:
        label = data.label(t.value).lower()
        if label not in seen:
            seen.add(label)
            distinct.append(t)
    return distinct


def _evidence(data, iri: str, statements, documents: int = 1) -> dict[tuple[str, str], list[Evidence]]:
    """(property, other end) -> the sentences stating the fact, one per place in a document and in document
    order, for the triples the given statements stand for (a page's, not all of a hub's thousands); an
    incoming property is written "^p". `documents`: how many documents mention the entity (the density of
    its evidence, which chooses the query's order)."""
    node = ox.NamedNode(iri)
    wanted: dict[str, set] = {"out": set(), "in": set()}
    for st in statements:
        for raw in st.raws:
            graph = evidence_graph_of(raw.graph)
            if graph is not None:
                wanted[raw.form[0]].add((ox.NamedNode(graph), ox.NamedNode(raw.form[1]), raw.other))
    rows = []
    for direction, facts in wanted.items():
        facts = sorted(facts, key=str)
        own_first = own_end_first(data, iri, direction, documents) if facts else True
        for chunk in range(0, len(facts), EVIDENCE_BATCH):
            block = " ".join(f"({g} {p} {o})" for g, p, o in facts[chunk:chunk + EVIDENCE_BATCH])
            rows += [(direction, r) for r in data.query(_evidence_query(block, node, direction, own_first))]
    spans = _sentence_spans(data, {r["sent"].value for _, r in rows})
    out: dict[tuple[str, str], list[Evidence]] = {}
    seen: set[tuple[tuple[str, str], str, int]] = set()
    for direction, r in rows:
        key = (("" if direction == "out" else "^") + r["p"].value, str(r["o"]))
        lst = out.setdefault(key, [])
        for ev in spans.get(r["sent"].value, ()):
            if (key, ev.document.value, ev.start) not in seen:
                seen.add((key, ev.document.value, ev.start))
                lst.append(ev)
    for lst in out.values():
        lst.sort(key=lambda e: (e.document.value, e.start))
    return out


def _sentence_spans(data, sentences: set[str]) -> dict[str, list[Evidence]]:
    """Sentence IRI -> its document, offsets and text: from the search index, else the store."""
    index = data.snapshot().index
    spans: dict[str, list[Evidence]] = {}
    missing = []
    for sent in sentences:
        found = index.sentence(sent)
        if found:
            spans[sent] = [Evidence(s.text, ox.NamedNode(s.document), s.start, s.end) for s in found]
        else:
            missing.append(sent)
    for sent in missing:
        spans[sent] = [Evidence(r["exact"].value, r["doc"], int(r["start"].value), int(r["end"].value))
                       for r in data.query(_SENTENCES, sent=ox.NamedNode(sent))]
    return spans


class Quad(NamedTuple):
    """A triple about the entity as the page reads it: the property, the other end, the graph stating it."""

    predicate: ox.NamedNode
    other: object
    graph: object


COUNTS_CACHED = 20_000     # entities (and large properties) whose counts a build's snapshot keeps


def _counts_cache(data) -> dict:
    """The snapshot's memo of counts, emptied when full: a crawl of every page must not grow it without end."""
    cache = data.snapshot().page_counts
    if len(cache) >= COUNTS_CACHED:
        cache.clear()
    return cache


def property_counts(data, iri: str) -> dict[str, dict[str, int]]:
    """direction -> property -> triples in the named graphs: counted once per build and entity (a rule's
    page counts the hundreds of thousands of evidence nodes naming it)."""
    cache = _counts_cache(data)
    if iri not in cache:
        node = ox.NamedNode(iri)
        cache[iri] = {d: {r["p"].value: int(r["n"].value) for r in data.query(_COUNTS[d], e=node)} for d in _COUNTS}
    return cache[iri]


def read_quads(data, iri: str, direction: str, properties: list[str]) -> list[Quad]:
    """The named graphs' triples of these properties about the entity (a built store's default graph repeats
    each once more, as their merge: read, those copies would put a "default" badge on every fact)."""
    if not properties:
        return []
    node = ox.NamedNode(iri)
    pattern = f"{node} ?p ?x" if direction == "out" else f"?x ?p {node}"
    values = " ".join(str(ox.NamedNode(p)) for p in properties)
    rows = data.query(f"SELECT ?p ?x ?g WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ {pattern} }} }}")
    return [Quad(r["p"], r["x"], r["g"]) for r in rows]


BUSY = 100              # statements' triples from which an entity's page model is kept for the build
BUSY_PAGES_KEPT = 32    # busy entities whose page model a build's snapshot keeps (the most recently asked)
_KEPT_LOCK = threading.Lock()


def build_page(iri: str, focus: str | None = None, number: int = 1) -> EntityPage:
    """The page's model: every statement group counted and sorted, but only the page of each the reader sees
    (`focus`: the group at page `number`, the others at their first) carries evidence. A property with more
    triples than PAGE_MAX_FACTS * 4 is paged by the store in its own order instead of read. What does not
    depend on the page asked is kept per build for busy entities (`_page_base`)."""
    data = graph_data()
    size = current_app.config["PAGE_STATEMENTS"]
    base, big = _page_base(data, iri)
    page = replace(base, outgoing=[_page_of(grp, focus, number, size) for grp in base.outgoing],
                   incoming=[_page_of(grp, focus, number, size) for grp in base.incoming])
    for direction, props in big.items():
        for p in props:
            group = store_paged_group(data, iri, direction, p, focus, number, size)
            (page.outgoing if direction == "out" else page.incoming).append(group)
    for lst in (page.outgoing, page.incoming):
        lst.sort(key=lambda grp: grp.label.lower())
    shown = [st for group in page.outgoing + page.incoming for st in group.statements]
    page.evidence = _evidence(data, iri, shown, len(page.mentioned_in) + page.mentioned_more)
    attach_evidence(shown, page.evidence)
    if data.is_a(iri, str(R2P.ExtractionRule)):
        total = property_counts(data, iri)["in"].get(EXTRACTED_BY, 0)
        page.rule_facts = rule_facts(data, iri, number if focus == EXTRACTED_BY_KEY else 1,
                                     current_app.config["LIST_PAGE_SIZE"], total)
    return page


def _page_of(group: StatementGroup, focus: str | None, number: int, size: int) -> StatementGroup:
    """A copy of the group holding the page asked for, its statements copies too: evidence and review
    status are the request's, the kept model stays as built."""
    copy = replace(group)
    paginate(copy, focus, number, size)
    copy.statements = [replace(st, evidence=[], reviewable=[]) for st in copy.statements]
    return copy


def _page_base(data, iri: str) -> tuple[EntityPage, dict[str, list[str]]]:
    """The page model without a page chosen (every statement, sorted, no evidence), and the properties the
    store pages; kept in the build's snapshot for a busy entity, whose model costs tens of milliseconds."""
    kept = data.snapshot().entity_pages
    key = (iri, current_app.config["PAGE_MAX_FACTS"], current_app.config["PAGE_STATEMENTS"])
    with _KEPT_LOCK:        # waitress's threads share the snapshot
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
    built, raws = _build_base(data, iri)
    if raws >= BUSY:
        with _KEPT_LOCK:
            kept[key] = built
            while len(kept) > BUSY_PAGES_KEPT:
                kept.popitem(last=False)
    return built


def _build_base(data, iri: str) -> tuple[tuple[EntityPage, dict[str, list[str]]], int]:
    node = ox.NamedNode(iri)
    limit = current_app.config["PAGE_MAX_FACTS"]
    counts = property_counts(data, iri)
    quads: dict[str, list[Quad]] = {}
    big: dict[str, list[str]] = {}
    for direction, by_property in counts.items():
        wanted = [p for p in by_property if p not in NOT_READ[direction]]
        big[direction] = sorted(p for p in wanted if by_property[p] > limit * 4)
        quads[direction] = read_quads(data, iri, direction, [p for p in wanted if p not in big[direction]])
    out_quads = quads["out"]
    own_types = data.stored_types(iri)
    types = _distinct_types(data, [ox.NamedNode(t) for t in own_types])
    descriptions = list(dict.fromkeys(q.other.value for q in out_quads if q.predicate.value in DESCRIPTION))
    raws = [Raw((d, q.predicate.value), q.other, source_of(q.graph), q.graph.value) for d in ("out", "in")
            for q in quads[d]
            if not (d == "out" and q.predicate.value in DESCRIPTION) and source_of(q.graph) not in NOT_STATEMENTS]
    outgoing, incoming = build_groups(data, iri, raws)
    mentions = mentions_of(data, node)
    page = EntityPage(
        iri=iri, label=data.label(iri), types=types, descriptions=descriptions, outgoing=outgoing, incoming=incoming,
        alt_labels=data.snapshot().alt_labels.get(iri, []),
        mentioned_in=mentions[:MENTIONED_SHOWN],
        mentioned_more=max(0, len(mentions) - MENTIONED_SHOWN),
        graph_json=json.dumps(neighbourhood(data, iri, outgoing, incoming)),
        summary=summary_card(data, own_types, outgoing), page_size=current_app.config["PAGE_STATEMENTS"],
    )
    page.theme = theme_slug(out_quads)
    add_group_member_notes(data, page)
    if is_actor_kind(data, iri):
        page.practices = practices_of(data, iri, lambda sentences: _sentence_spans(data, sentences))
    return (add_map_and_links(data, page), big), len(raws) + len(mentions)


def rule_facts(data, iri: str, number: int, size: int, total: int) -> RuleFacts:
    """Page `number` of the facts an extraction rule read, each with its sentence, in document order on the
    page: analysts check a rule by its output. Read from the store a page at a time, as a rule's evidence
    runs to hundreds of thousands of nodes."""
    rows = data.query(_rule_facts_query(ox.NamedNode(iri), size, (number - 1) * size))
    spans = _sentence_spans(data, {r["sent"].value for r in rows})
    facts = [RuleFact(r["s"], r["p"], r["o"], list(spans.get(r["sent"].value, ()))) for r in rows]
    facts.sort(key=lambda f: [(e.document.value, e.start) for e in f.evidence] or [("", 0)])
    return RuleFacts(facts, total, number, size)


ORDERED_MAX = 20_000        # values of a paged property read and sorted by label once per build; more: store order
ORDERS_KEPT = 32            # paged properties whose sorted values a build's snapshot keeps (the most recently asked)


def paged_values(data, iri: str, direction: str, p: str, page: int, size: int) -> tuple[list, int]:
    """(the values on page `page`, how many distinct values there are) of a property with thousands of values,
    in the order of the groups read whole: by label, then IRI. Its values are read and sorted once per build
    (kept for the ORDERS_KEPT most recently asked); one with more than ORDERED_MAX is counted and paged by the
    store in the store's order, which is stable for a build but not meaningful."""
    node, prop = ox.NamedNode(iri), ox.NamedNode(p)
    pattern = f"{node} {prop} ?x" if direction == "out" else f"?x {prop} {node}"
    orders = data.snapshot().paged_orders
    key = (iri, direction, p)
    with _KEPT_LOCK:
        ordered = orders.get(key)
        if ordered is not None:
            orders.move_to_end(key)
    if ordered is None:
        rows = data.query(f"SELECT DISTINCT ?x WHERE {{ GRAPH ?g {{ {pattern} }} }} LIMIT {ORDERED_MAX + 1}")
        ordered = sorted((r["x"] for r in rows), key=lambda v: (value_sort_key(data, v), str(v))) \
            if len(rows) <= ORDERED_MAX else ()
        with _KEPT_LOCK:
            orders[key] = ordered
            while len(orders) > ORDERS_KEPT:
                orders.popitem(last=False)
    if ordered:
        return list(ordered[(page - 1) * size:page * size]), len(ordered)
    cache = _counts_cache(data)
    if key not in cache:
        cache[key] = int(data.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH ?g {{ {pattern} }} }}")[0]["n"].value)
    values = [r["x"] for r in data.query(f"SELECT DISTINCT ?x WHERE {{ GRAPH ?g {{ {pattern} }} }} "
                                          f"LIMIT {size} OFFSET {(page - 1) * size}")]
    return values, cache[key]


def store_paged_group(data, iri: str, direction: str, p: str, focus: str | None, number: int,
                      size: int) -> StatementGroup:
    """A property with thousands of values: one page of its distinct values (`paged_values`), each with the
    graphs that state it. Its forms are not folded."""
    node, prop = ox.NamedNode(iri), ox.NamedNode(p)
    pattern = f"{node} {prop} ?x" if direction == "out" else f"?x {prop} {node}"
    group_key = ("^" if direction == "in" else "") + p
    page = number if group_key == focus else 1
    values, total = paged_values(data, iri, direction, p, page, size)
    graphs: dict[str, set[str]] = {}
    if values:
        block = " ".join(str(v) for v in values)
        for r in data.query(f"SELECT ?x ?g WHERE {{ VALUES ?x {{ {block} }} GRAPH ?g {{ {pattern} }} }}"):
            graphs.setdefault(str(r["x"]), set()).add(r["g"].value)
    statements = []
    for value in values:
        raws = [Raw((direction, p), value, source_of(ox.NamedNode(g)), g) for g in sorted(graphs.get(str(value), ()))]
        kinds = sorted({r.source for r in raws if r.source not in NOT_STATEMENTS}) or ["evidence"]
        statements.append(Statement(value, all(k == "inferred" for k in kinds), kinds, raws=raws))
    return StatementGroup(prop, property_label(data, p), direction, statements, total, page, paged_in_store=True)


def theme_slug(out_quads: list[Quad]) -> str:
    """The skos:notation of a concept of the scheme of themes ('' for anything else): its page is /theme/<slug>."""
    skos = "http://www.w3.org/2004/02/skos/core#"
    if not any(q.predicate.value == skos + "inScheme" and q.other.value == str(R2P.Themes) for q in out_quads):
        return ""
    return next((q.other.value for q in out_quads if q.predicate.value == skos + "notation"), "")


def add_group_member_notes(data, page: EntityPage) -> None:
    """A UN regional group lists its states: say how many of them the texts name as network members, so
    that a 0 reads as "none named", not as "none in the network"."""
    from .bp_home import network_members

    for group in page.incoming:
        if group.predicate.value == str(R2P.unRegionalGroup):
            members = {m.value for m in network_members(data)}
            named = sum(1 for st in group.statements if getattr(st.value, "value", None) in members)
            group.note = (f"network members named in the texts: {named} of these {group.total} states "
                          f"({len(members)} members named in all)")


def add_map_and_links(data, page: EntityPage) -> EntityPage:
    """The External links block (Wikidata, DBpedia, GeoNames, ISO codes, UN regional group) and the map (a
    state's or city's point, a meeting's city); both come from graphdata.py and show only when present."""
    from .graphdata import entity_map, external_links

    page.links = external_links(data, page.iri)
    page.map = entity_map(data, page.iri)
    page.map_json = page.map.to_json(g.urls, data.label) if page.map is not None else ""
    return page


def neighbourhood(data, iri: str, outgoing, incoming) -> dict:
    urls = g.urls
    limit = current_app.config["GRAPH_MAX_NEIGHBOURS"]
    nodes = {iri: {"id": iri, "label": data.label(iri), "url": urls.link(iri), "group": "self"}}
    edges = []
    for groups, direction in ((outgoing, "out"), (incoming, "in")):
        for grp in groups:
            for fact in grp.facts:
                value = fact.value
                if not isinstance(value, ox.NamedNode) or value.value == iri:
                    continue
                if value.value not in nodes:
                    if len(nodes) > limit:
                        continue
                    kind = (urls.local_path(value.value) or "other").split("/", 1)[0]
                    nodes[value.value] = {"id": value.value, "label": data.label(value.value),
                                          "url": urls.link(value.value), "group": kind}
                label = grp.label
                edge = {"from": iri, "to": value.value} if direction == "out" else {"from": value.value, "to": iri}
                edge.update(label=label, dashes=fact.inferred)
                edges.append(edge)
    return {"nodes": list(nodes.values()), "edges": edges}


def describe(iri: str) -> list[ox.Triple]:
    """The entity's data: every triple with it as subject or object, from all graphs, once each."""
    store = graph_data().store
    node = ox.NamedNode(iri)
    seen, triples = set(), []
    for q in list(store.quads_for_pattern(node, None, None, None)) + list(store.quads_for_pattern(None, None, node, None)):
        t = ox.Triple(q.subject, q.predicate, q.object)
        if t not in seen:
            seen.add(t)
            triples.append(t)
    return triples


def data_response(iri: str, ext: str) -> Response:
    from r2pkg.graph.sparql import QueryResult, serialize_results

    media = DATA_FORMATS[ext]
    body = serialize_results(QueryResult("graph", triples=describe(iri)), media)
    return Response(body, 200, {"Content-Type": media + ("; charset=utf-8" if ext != "rdf" else ""),
                                "Access-Control-Allow-Origin": "*", "Link": f'<{iri}>; rel="describes"'})


def _split_ext(path: str) -> tuple[str, str | None]:
    for ext in DATA_FORMATS:
        if path.endswith("." + ext):
            return path[: -len(ext) - 1], ext
    if path.endswith(".json"):
        return path[:-5], "jsonld"
    return path, None


@bp.route("/id/<path:path>")
def resolve(path: str):
    """The IRI itself: 303 See Other to the page or the data, by Accept; .ttl / .jsonld suffixes give the data."""
    base, ext = _split_ext(path)
    if ext:
        return data_response(_iri_or_404(base), ext)
    iri = _iri_or_404(path)
    best = request.accept_mimetypes.best_match(NEGOTIABLE) if request.accept_mimetypes else "text/html"
    urls = g.urls
    if best is None:
        return Response("Not Acceptable: this resource is available as " + ", ".join(NEGOTIABLE) + "\n", 406,
                        {"Content-Type": "text/plain; charset=utf-8", "Vary": "Accept"})
    if best in ("text/html", "application/xhtml+xml"):
        target = urls.page(iri)
    else:
        target = urls.data(iri, EXTENSION_OF[best])
    response = redirect(urls.location(target), code=303)
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/page/<path:path>")
def page(path: str):
    iri = _iri_or_404(path)
    target = g.urls.page(iri)
    if not target.endswith("/page/" + path) and target.startswith(g.urls.root + "/document/"):
        return redirect(g.urls.location(target), code=302)
    return kept_html(lambda: _render_page(iri))


def _render_page(iri: str) -> str:
    focus = request.args.get("property") or None
    built = build_page(iri, focus, _page_number(request.args.get("page")))
    shown = [st for group in built.outgoing + built.incoming for st in group.statements]
    fill_qualifiers(graph_data(), iri, shown + [st for row in built.summary for st in row.values])
    from .bp_review import attach_review

    attach_review(graph_data(), iri, built.outgoing + built.incoming, built.evidence)   # shown facts' review status
    return render_template("entity/page.html", page=built, focus=focus)


def _page_number(value: str | None) -> int:
    """?page= as a page number from 1; anything else is page 1, not an error page."""
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def paginate(group: StatementGroup, focus: str | None, number: int, size: int) -> None:
    """A group shows its first `size` statements; the group the reader asked for (?property=) shows page `number`."""
    key = ("^" if group.direction == "in" else "") + group.predicate.value
    group.page = number if key == focus else 1
    start = (group.page - 1) * size
    group.statements = group.statements[start:start + size]


@bp.route("/data/<path:path>")
def data(path: str):
    base, ext = _split_ext(path)
    if ext is None:
        raise NotFound(f"Data come as {', '.join('.' + e for e in DATA_FORMATS)}: add one to the path.",
                       hint=path.split("/")[-1], what="data file")
    return data_response(_iri_or_404(base), ext)
