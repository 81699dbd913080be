"""The review queue: unreviewed facts, riskiest first, one page at a time, however large the graph.

At 1,000 summaries the evidence graphs hold about 4M quads: reading them all on every request (as the first
queue did) takes many seconds. The order is computed instead from what is small, the decisions: the facts
of one property read by one rule (each r2p:Evidence names its rule, `r2p:extractedBy`) are a *tier*, ranked
by how often reviewers rejected facts of that property and of that rule (`risk_of`). A page asks the store only for the facts it shows: tier after tier, a SELECT
DISTINCT with LIMIT and OFFSET, the filters (document, kind, rule) and the exclusion of reviewed facts in
the query; one more query fetches the first sentence of each fact on the page. A request reads about as
many facts as its page's offset plus the page. Within a tier facts come in the store's order (the store
cannot order millions of sentences by length without reading them all; the first queue could).

The lists of the filters come from the build, once per build: its documents, and the pairs of property and
rule that have facts (one pass over the evidence nodes' property and rule).
"""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from r2pkg.graph import iris, sparql
from r2pkg.graph.vocab import EVIDENCE_GRAPH_PREFIX, ID, R2P

from .reviewing import term_nt

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
OA = "http://www.w3.org/ns/oa#"
EXTRACTED_BY = f"{R2P}extractedBy"
RULE_PREFIX = str(iris.rule(""))
QUEUE_PAGE = 50
FILTERS = ("document", "kind", "property", "rule")


# --------------------------------------------------------------------------------------------
# Which rule a fact came from, and how risky its property and rules are
# --------------------------------------------------------------------------------------------

def rules_of_fact(extracted_by: Iterable[str]) -> list[str]:
    """The names of the rules a fact's evidence names (`r2p:extractedBy <id/rule/NAME>`), in order; none for a
    build made before the loaders named them (such facts are "rule not known")."""
    return list(dict.fromkeys(iri[len(RULE_PREFIX):] for iri in extracted_by if iri.startswith(RULE_PREFIX)))


def risk_of(verdicts: Counter) -> float:
    """How likely a fact of a property (or rule) is wrong, from the standing decisions about its others:
    (rejected + 1) / (reviewed + 2), so that one rejection counts for less than ten."""
    return (verdicts["rejected"] + 1) / (verdicts["confirmed"] + verdicts["rejected"] + 2)


def kind_of(term) -> str:
    """The kind of an entity from its IRI (id/<kind>/...), what the queue filters facts by."""
    value = getattr(term, "value", "")
    return value[len(str(ID)):].split("/", 1)[0] if value.startswith(str(ID)) else ""


def verdicts_of(data, statuses: dict) -> dict[str, Counter]:
    """Confirmed and rejected facts per property and per rule, from the standing decisions about extracted facts."""
    decided = {triple: status for triple, status in statuses.items()
               if status.decision.decision in ("confirm", "reject", "correct") and triple == status.decision.fact}
    extracted_by = _rules_of_decided(data, list(decided))
    verdicts: dict[str, Counter] = {}
    for triple, status in decided.items():
        verdict = "confirmed" if status.state == "confirmed" else "rejected"
        prop = triple[1][1:-1]
        for key in [prop, *rules_of_fact(extracted_by.get(triple, ()))]:
            verdicts.setdefault(key, Counter())[verdict] += 1
    return verdicts


def _rules_of_decided(data, triples: list[tuple[str, str, str]]) -> dict[tuple, list[str]]:
    """The rules (IRIs) the evidence of each decided fact names: in the evidence graphs, or in the graph of
    rejected facts once a build took the fact out (graph/review.py)."""
    if not triples:
        return {}
    rows = _run(data, f"""SELECT ?s ?p ?o ?rule WHERE {{ {_values(("s", "p", "o"), triples)}
        GRAPH ?g {{ ?ev <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o ; <{EXTRACTED_BY}> ?rule }} }}
        LIMIT {len(triples) * 10}""", len(triples) * 10)
    out: dict[tuple, list[str]] = {}
    for r in rows:
        out.setdefault((term_nt(r["s"]), term_nt(r["p"]), term_nt(r["o"])), []).append(r["rule"].value)
    return out


@dataclass(frozen=True)
class Tier:
    """The unreviewed facts of one property that one rule read (rule None: facts whose evidence names no rule),
    ranked by the risk of the property and of the rule."""

    property: str
    rule: str | None
    risk: float                 # the most often rejected of its property and rule
    property_risk: float        # its property's alone: breaks ties between tiers of one rule

    @property
    def rules(self) -> tuple[str, ...]:
        return (self.rule,) if self.rule else ()


def tiers_of(data, verdicts: dict[str, Counter], pairs: list[tuple[str, str | None]]) -> list[Tier]:
    """The (property, rule) pairs with facts, riskiest first (ties by label and rule, so the order is the same
    on every request)."""
    out = []
    for prop, rule in pairs:
        risks = [risk_of(verdicts.get(key, Counter())) for key in (prop, *([rule] if rule else []))]
        out.append(Tier(prop, rule, max(risks), risks[0]))
    return sorted(out, key=lambda t: (-t.risk, -t.property_risk, data.label(t.property).lower(), t.property,
                                      t.rule or ""))


# --------------------------------------------------------------------------------------------
# What the build has: its documents and the properties that have facts (once per build)
# --------------------------------------------------------------------------------------------

@dataclass
class BuildLists:
    documents: list[str]
    pairs: list[tuple[str, str | None]]          # (property, rule name or None) that have facts

    @property
    def properties(self) -> list[str]:
        return list(dict.fromkeys(p for p, _ in self.pairs))

    @property
    def rules(self) -> list[str]:
        return sorted({r for _, r in self.pairs if r})
    kinds: dict[str, list[str]] = field(default_factory=dict)
    kind_properties: dict[str, set[str]] = field(default_factory=dict)

    def entities_of_kind(self, data, kind: str) -> list[str]:
        """The entities of the build (those with a type) whose IRI is id/<kind>/..., listed once per build."""
        if kind not in self.kinds:
            prefix = f"{ID}{kind}/"
            self.kinds[kind] = sorted(iri for iri in data.snapshot().types if iri.startswith(prefix))
        return self.kinds[kind]


_lists: dict[str, BuildLists] = {}
_lists_lock = threading.Lock()


def build_lists(data) -> BuildLists:
    """The documents with evidence and the (property, rule) pairs that have facts, read once per build."""
    target = str(data.snapshot().target)
    with _lists_lock:
        if target not in _lists:
            _lists.clear()
            _lists[target] = _read_lists(data)
        return _lists[target]


def _read_lists(data) -> BuildLists:
    store = data.store
    documents = sorted(name[len(EVIDENCE_GRAPH_PREFIX):] for name in (str(getattr(g, "value", g))
                                                                       for g in store.named_graphs())
                       if name.startswith(EVIDENCE_GRAPH_PREFIX))
    # One pass over the evidence nodes' property and rule (about 2 lookups per fact read), once per build: the
    # pairs a rule's contract declares (Rule.writes) may have no fact, and probing a missing pair reads all
    # the rule's evidence anyway.
    rows = _run(data, f"""SELECT DISTINCT ?p ?rule WHERE {{
        GRAPH ?g {{ ?ev <{RDF}predicate> ?p . OPTIONAL {{ ?ev <{EXTRACTED_BY}> ?rule }} }}
        FILTER(STRSTARTS(STR(?g), "{EVIDENCE_GRAPH_PREFIX}")) }} LIMIT {MAX_PAIRS}""", MAX_PAIRS)
    pairs = sorted({(r["p"].value, (rules_of_fact([r["rule"].value]) or [None])[0] if r["rule"] else None)
                    for r in rows}, key=lambda pr: (pr[0], pr[1] or ""))
    return BuildLists(documents, pairs)


MAX_PAIRS = 10_000      # (property, rule) pairs: a few hundred rules and properties at most


# --------------------------------------------------------------------------------------------
# One page of the queue
# --------------------------------------------------------------------------------------------

@dataclass
class QueueItem:
    fact: object                # bp_review.ReviewFact
    subject: object
    predicate: object
    object: object
    rules: list[str]
    risk: float


@dataclass
class Queue:
    items: list[QueueItem]
    more: bool                  # whether a next page has facts
    documents: list[str]
    kinds: list[str]
    properties: list[str]
    rules: list[str]
    filters: dict[str, str] = field(default_factory=dict)


def build_queue(data, statuses: dict, filters: dict[str, str], page: int, make_fact) -> Queue:
    """Page `page` of the unreviewed facts that pass `filters`, riskiest first. `make_fact(triple, label,
    slug, exact, start, end)` makes the row's ReviewFact."""
    lists = build_lists(data)
    verdicts = verdicts_of(data, statuses)
    tiers = [t for t in tiers_of(data, verdicts, lists.pairs) if _tier_passes(t, filters)]
    if filters.get("document") and filters["document"] not in lists.documents \
            or filters.get("kind") and filters["kind"] not in iris.KINDS:
        tiers = []
    if tiers and filters.get("kind"):
        having = _properties_of_kind(data, filters["kind"])
        tiers = [t for t in tiers if having is None or t.property in having]
    skip, wanted = (page - 1) * QUEUE_PAGE, QUEUE_PAGE + 1          # one more: is there a next page?
    found: list[tuple[Tier, tuple]] = []
    for n, tier in enumerate(tiers):
        # a fact two rules read is in two tiers: listed in the first (the riskier) only
        earlier = [t.rule for t in tiers[:n] if t.property == tier.property and t.rule]
        query = _tier_query(data, tier, filters, statuses, earlier)
        rows = _run(data, f"{query} LIMIT {wanted - len(found)} OFFSET {skip}", wanted - len(found))
        if not rows and skip:
            skip -= _count(data, query, skip)
            continue
        skip = 0
        found += [(tier, (r["s"], r["p"], r["o"])) for r in rows]
        if len(found) >= wanted:
            break
    shown = found[:QUEUE_PAGE]
    sentences = _first_sentences(data, [terms for _, terms in shown], filters.get("document"))
    items = []
    for tier, (s, p, o) in shown:
        triple = (term_nt(s), term_nt(p), term_nt(o))
        slug, start, end, exact = sentences.get(triple, ("", None, None, ""))
        items.append(QueueItem(make_fact(triple, data.label(p.value), slug, exact, start, end), s, p, o,
                               list(tier.rules), tier.risk))
    return Queue(items, len(found) > QUEUE_PAGE, lists.documents, sorted(iris.KINDS),
                 sorted(lists.properties, key=lambda p: data.label(p).lower()), lists.rules, filters)


def _tier_passes(tier: Tier, filters: dict[str, str]) -> bool:
    return ((not filters.get("property") or filters["property"] == tier.property)
            and (not filters.get("rule") or filters["rule"] in tier.rules))


def _tier_query(data, tier: Tier, filters: dict[str, str], statuses: dict, earlier: list[str]) -> str:
    """The distinct unreviewed facts of a tier that pass the filters, less those the `earlier` rules (of the
    tiers listed before, of the same property) also read, without LIMIT (the caller adds it)."""
    prop = f"<{tier.property}>"
    graph = f"<{iris.evidence_graph(filters['document'])}>" if filters.get("document") else "?g"
    by_subject = filters.get("kind") and _of_kind(data, filters["kind"], tier.property)
    # Oxigraph starts from the first pattern of those the values bind: the subject's, when there are subjects
    first, then = (f"<{RDF}subject> ?s", f"<{RDF}predicate> ?p") if by_subject and by_subject.startswith("VALUES (") \
        else (f"<{RDF}predicate> ?p", f"<{RDF}subject> ?s")
    where = [by_subject or f"VALUES ?p {{ {prop} }}", f"GRAPH {graph} {{ ?ev {first} ; {then} ; <{RDF}object> ?o ."]
    if tier.rule:
        where[-1] += f" ?ev <{EXTRACTED_BY}> <{RULE_PREFIX}{_iri_safe(tier.rule)}> ."
    else:
        where[-1] += f" FILTER NOT EXISTS {{ ?ev <{EXTRACTED_BY}> ?rule }}"
    where[-1] += " }"
    if not filters.get("document"):
        where.append(f'FILTER(STRSTARTS(STR(?g), "{EVIDENCE_GRAPH_PREFIX}"))')
    if earlier:         # read by one of them in the same graphs (those of the document filtered by)
        rules = " ".join(f"<{RULE_PREFIX}{_iri_safe(r)}>" for r in earlier)
        other = graph if filters.get("document") else "?g2"
        within = "" if filters.get("document") else f'FILTER(STRSTARTS(STR(?g2), "{EVIDENCE_GRAPH_PREFIX}"))'
        where.append(f"FILTER NOT EXISTS {{ VALUES ?earlier {{ {rules} }} GRAPH {other} {{ ?ev2 <{RDF}subject> ?s ; "
                     f"<{RDF}predicate> ?p ; <{RDF}object> ?o ; <{EXTRACTED_BY}> ?earlier }} {within} }}")
    reviewed = [t for t in statuses if t[1] == prop]
    if reviewed:        # a filter, not MINUS: with MINUS, Oxigraph no longer starts from the bound values
        where.append("FILTER(!(" + " || ".join(f"sameTerm(?s, {_term(s)}) && sameTerm(?o, {_term(o)})"
                                                for s, _, o in reviewed) + "))")
    return "SELECT DISTINCT ?s ?p ?o WHERE {\n  " + "\n  ".join(where) + "\n}"


KIND_VALUES_MAX = 2000


def _of_kind(data, kind: str, prop: str) -> str:
    """The query's condition on the subject's kind: when the kind has few entities, each (subject, property)
    pair bound as values, found through the index (a filter on the IRI reads every fact of the tier, for a
    rare kind in vain); else a filter on the IRI (a common kind fills a page soon)."""
    entities = build_lists(data).entities_of_kind(data, kind)
    if len(entities) <= KIND_VALUES_MAX:
        return _values(("s", "p"), [(f"<{iri}>", f"<{prop}>") for iri in entities])
    return f'VALUES ?p {{ <{prop}> }} FILTER(STRSTARTS(STR(?s), "{ID}{kind}/"))'


def _properties_of_kind(data, kind: str) -> set[str] | None:
    """The properties the kind's entities have facts of, when it has few entities (None: any may)."""
    lists = build_lists(data)
    entities = lists.entities_of_kind(data, kind)
    if len(entities) > KIND_VALUES_MAX:
        return None
    if kind not in lists.kind_properties:
        rows = _run(data, f"""SELECT DISTINCT ?p WHERE {{ {_values(("s",), [(f"<{iri}>",) for iri in entities])}
            GRAPH ?g {{ ?ev <{RDF}subject> ?s ; <{RDF}predicate> ?p }}
            FILTER(STRSTARTS(STR(?g), "{EVIDENCE_GRAPH_PREFIX}")) }} LIMIT {len(lists.properties)}""",
                    len(lists.properties))
        lists.kind_properties[kind] = {r["p"].value for r in rows}
    return lists.kind_properties[kind]


def _count(data, query: str, at_most: int) -> int:
    """How many rows `query` has, counting no further than `at_most` (what a page would skip)."""
    rows = _run(data, f"SELECT (COUNT(*) AS ?n) WHERE {{ {query} LIMIT {at_most} }}", 1)
    return int(rows[0]["n"].value) if rows else 0


def _first_sentences(data, facts: list[tuple], document: str | None) -> dict[tuple, tuple]:
    """Each fact's first sentence (by document, then position): (slug, start, end, exact)."""
    if not facts:
        return {}
    graph = f"<{iris.evidence_graph(document)}>" if document else "?g"
    where_graph = "" if document else f'FILTER(STRSTARTS(STR(?g), "{EVIDENCE_GRAPH_PREFIX}"))'
    triples = [(term_nt(s), term_nt(p), term_nt(o)) for s, p, o in facts]
    # the key sorts by graph, then start (zero-padded); it carries the sentence
    first = _run(data, f"""SELECT ?s ?p ?o (MIN(?key) AS ?first) WHERE {{ {_values(("s", "p", "o"), triples)}
        GRAPH {graph} {{ ?ev <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o ; <{R2P}sentence> ?sent .
                         ?sent <{OA}start> ?start }} {where_graph}
        BIND(CONCAT(STR({graph}), " ", SUBSTR(CONCAT("0000000000", STR(?start)), STRLEN(STR(?start)) + 1), " ",
                    STR(?sent)) AS ?key)
    }} GROUP BY ?s ?p ?o LIMIT {len(facts)}""", len(facts))
    chosen = {(term_nt(r["s"]), term_nt(r["p"]), term_nt(r["o"])): r["first"].value.split(" ") for r in first}
    if not chosen:
        return {}
    sentences = {r["sent"].value: r for r in _run(data, f"""SELECT ?sent ?start ?end ?exact WHERE {{
        {_values(("sent",), [(f"<{key[2]}>",) for key in chosen.values()])}
        ?sent <{OA}start> ?start ; <{OA}end> ?end ; <{OA}exact> ?exact }} LIMIT {len(chosen)}""", len(chosen))}
    out = {}
    for triple, (g, _, sent) in chosen.items():
        if sent in sentences:
            r = sentences[sent]
            out[triple] = (g[len(EVIDENCE_GRAPH_PREFIX):], int(r["start"].value), int(r["end"].value),
                           r["exact"].value)
    return out


# --------------------------------------------------------------------------------------------
# Running the queue's queries
# --------------------------------------------------------------------------------------------

def _run(data, query: str, max_rows: int) -> list[dict]:
    """One of the queue's queries on the served store, under a row cap (graph/sparql.py, the one place
    queries run with limits)."""
    return sparql.run_query(data.store, query, max_rows=max_rows).rows


def _values(names: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A VALUES block of N-Triples terms (re-serialized by pyoxigraph, so a decision's text stays a term)."""
    body = " ".join("(" + " ".join(str(_term(text)) for text in row) + ")" for row in rows)
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ {body} }}"


def _term(text: str):
    if text.startswith("<") and text.endswith(">"):
        return ox.NamedNode(text[1:-1])
    return next(ox.parse(f"<a:s> <a:p> {text} .", ox.RdfFormat.N_TRIPLES)).object


def _iri_safe(name: str) -> str:
    """A rule's name as it may appear in an IRI: rule names are identifiers (letters, digits, _ and -)."""
    return "".join(c for c in name if c.isalnum() or c in "_-")
