"""The review queue: unreviewed facts, riskiest first, one page at a time, however large the graph.

At 1,000 summaries the evidence graphs hold about 4M quads: reading them all on every request (as the first
queue did) takes many seconds. The order is computed instead from what is small, the decisions: each
property with facts is a *tier*, ranked by how often reviewers rejected its facts and those of the rules
that write it (`risk_of`). A page asks the store only for the facts it shows: tier after tier, a SELECT
DISTINCT with LIMIT and OFFSET, the filters (document, kind, rule) and the exclusion of reviewed facts in
the query; one more query fetches the first sentence of each fact on the page. A request reads about as
many facts as its page's offset plus the page. Within a tier facts come in the store's order (the store
cannot order millions of sentences by length without reading them all; the first queue could).

The lists of the filters come from the build (its documents, the properties that have facts: one quick
probe per property, once per build) and from the rules' contracts.
"""
from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

from r2pkg.graph import iris, review, sparql
from r2pkg.graph.vocab import EVIDENCE_GRAPH_PREFIX, ID, R2P

from .reviewing import term_nt

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
OA = "http://www.w3.org/ns/oa#"
EXTRACTED_BY = f"{R2P}extractedBy"
RULE_PREFIX = f"{ID}rule/"
QUEUE_PAGE = 50
FILTERS = ("document", "kind", "property", "rule")


# --------------------------------------------------------------------------------------------
# Which rule a fact came from, and how risky its property and rules are
# --------------------------------------------------------------------------------------------

def rules_of_fact(prop: str, extracted_by: str | None = None) -> list[str]:
    """The rules a fact came from: the one its evidence names (`r2p:extractedBy <id/rule/NAME>`), else the
    rules whose contracts declare they write its property (a property several rules write counts for each)."""
    if extracted_by and extracted_by.startswith(RULE_PREFIX):
        return [extracted_by[len(RULE_PREFIX):]]
    return list(review.rules_of_properties().get(prop, ()))


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
        for key in [prop, *rules_of_fact(prop, extracted_by.get(triple))]:
            verdicts.setdefault(key, Counter())[verdict] += 1
    return verdicts


def _rules_of_decided(data, triples: list[tuple[str, str, str]]) -> dict[tuple, str]:
    """The rule named by the evidence of each decided fact, where the evidence names one."""
    if not triples:
        return {}
    rows = _run(data, f"""SELECT ?s ?p ?o ?rule WHERE {{ {_values(("s", "p", "o"), triples)}
        GRAPH ?g {{ ?ev <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o ; <{EXTRACTED_BY}> ?rule }} }}
        LIMIT {len(triples) * 10}""", len(triples) * 10)
    return {(term_nt(r["s"]), term_nt(r["p"]), term_nt(r["o"])): r["rule"].value for r in rows}


@dataclass(frozen=True)
class Tier:
    """The unreviewed facts of one property, ranked by its risk and that of the rules that write it."""

    property: str
    rules: tuple[str, ...]
    risk: float                 # the most often rejected of its property and rules
    property_risk: float        # its property's alone: breaks ties between properties of one rule


def tiers_of(data, verdicts: dict[str, Counter], properties: list[str]) -> list[Tier]:
    """The properties with facts, riskiest first (ties by label, so the order is the same on every request)."""
    out = []
    for prop in properties:
        rules = tuple(rules_of_fact(prop))
        risks = [risk_of(verdicts.get(key, Counter())) for key in (prop, *rules)]
        out.append(Tier(prop, rules, max(risks), risks[0]))
    return sorted(out, key=lambda t: (-t.risk, -t.property_risk, data.label(t.property).lower(), t.property))


# --------------------------------------------------------------------------------------------
# What the build has: its documents and the properties that have facts (once per build)
# --------------------------------------------------------------------------------------------

@dataclass
class BuildLists:
    documents: list[str]
    properties: list[str]
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
    """The documents with evidence and the properties that have facts, read once per build."""
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
    # Every property a fact can have is one a rule declares it writes (tests/test_rules_registry.py holds
    # the rules to their contracts): probing each is an index lookup, where listing the properties of
    # all evidence would read all of it.
    candidates = sorted(review.rules_of_properties())
    rows = _run(data, f"""SELECT ?p WHERE {{ {_values(("p",), [(f"<{p}>",) for p in candidates])}
        FILTER EXISTS {{ GRAPH ?g {{ ?ev <{RDF}predicate> ?p }} FILTER(STRSTARTS(STR(?g), "{EVIDENCE_GRAPH_PREFIX}")) }}
        }} LIMIT {len(candidates)}""", len(candidates))
    return BuildLists(documents, [r["p"].value for r in rows])


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
    tiers = [t for t in tiers_of(data, verdicts, lists.properties) if _tier_passes(t, filters)]
    if filters.get("document") and filters["document"] not in lists.documents \
            or filters.get("kind") and filters["kind"] not in iris.KINDS:
        tiers = []
    if tiers and filters.get("kind"):
        having = _properties_of_kind(data, filters["kind"])
        tiers = [t for t in tiers if having is None or t.property in having]
    skip, wanted = (page - 1) * QUEUE_PAGE, QUEUE_PAGE + 1          # one more: is there a next page?
    found: list[tuple[Tier, tuple]] = []
    for tier in tiers:
        query = _tier_query(data, tier, filters, statuses)
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
        slug, start, end, exact, rule = sentences.get(triple, ("", None, None, "", None))
        items.append(QueueItem(make_fact(triple, data.label(p.value), slug, exact, start, end), s, p, o,
                               rules_of_fact(p.value, rule), tier.risk))
    rule_names = sorted({name for names in review.rules_of_properties().values() for name in names})
    return Queue(items, len(found) > QUEUE_PAGE, lists.documents, sorted(iris.KINDS),
                 sorted(lists.properties, key=lambda p: data.label(p).lower()), rule_names, filters)


def _tier_passes(tier: Tier, filters: dict[str, str]) -> bool:
    return ((not filters.get("property") or filters["property"] == tier.property)
            and (not filters.get("rule") or filters["rule"] in tier.rules))


def _tier_query(data, tier: Tier, filters: dict[str, str], statuses: dict) -> str:
    """The distinct unreviewed facts of a tier that pass the filters, without LIMIT (the caller adds it)."""
    prop = f"<{tier.property}>"
    graph = f"<{iris.evidence_graph(filters['document'])}>" if filters.get("document") else "?g"
    by_subject = filters.get("kind") and _of_kind(data, filters["kind"], tier.property)
    # Oxigraph starts from the first pattern of those the values bind: the subject's, when there are subjects
    first, then = (f"<{RDF}subject> ?s", f"<{RDF}predicate> ?p") if by_subject and by_subject.startswith("VALUES (") \
        else (f"<{RDF}predicate> ?p", f"<{RDF}subject> ?s")
    where = [by_subject or f"VALUES ?p {{ {prop} }}", f"GRAPH {graph} {{ ?ev {first} ; {then} ; <{RDF}object> ?o ."]
    if filters.get("rule"):
        where[-1] += f" OPTIONAL {{ ?ev <{EXTRACTED_BY}> ?rule }}"
    where[-1] += " }"
    if not filters.get("document"):
        where.append(f'FILTER(STRSTARTS(STR(?g), "{EVIDENCE_GRAPH_PREFIX}"))')
    if filters.get("rule"):
        # the rule the evidence names, or (none named) the tier's, which writes the property
        where.append(f"FILTER(!BOUND(?rule) || ?rule = <{RULE_PREFIX}{_iri_safe(filters['rule'])}>)")
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
    """Each fact's first sentence (by document, then position): (slug, start, end, exact, rule IRI or None)."""
    if not facts:
        return {}
    graph = f"<{iris.evidence_graph(document)}>" if document else "?g"
    where_graph = "" if document else f'FILTER(STRSTARTS(STR(?g), "{EVIDENCE_GRAPH_PREFIX}"))'
    triples = [(term_nt(s), term_nt(p), term_nt(o)) for s, p, o in facts]
    # the key sorts by graph, then start (zero-padded); it carries the sentence and the rule the evidence names
    first = _run(data, f"""SELECT ?s ?p ?o (MIN(?key) AS ?first) WHERE {{ {_values(("s", "p", "o"), triples)}
        GRAPH {graph} {{ ?ev <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o ; <{R2P}sentence> ?sent .
                         ?sent <{OA}start> ?start . OPTIONAL {{ ?ev <{EXTRACTED_BY}> ?rule }} }} {where_graph}
        BIND(CONCAT(STR({graph}), " ", SUBSTR(CONCAT("0000000000", STR(?start)), STRLEN(STR(?start)) + 1), " ",
                    STR(?sent), " ", COALESCE(STR(?rule), "")) AS ?key)
    }} GROUP BY ?s ?p ?o LIMIT {len(facts)}""", len(facts))
    chosen = {(term_nt(r["s"]), term_nt(r["p"]), term_nt(r["o"])): r["first"].value.split(" ") for r in first}
    if not chosen:
        return {}
    sentences = {r["sent"].value: r for r in _run(data, f"""SELECT ?sent ?start ?end ?exact WHERE {{
        {_values(("sent",), [(f"<{key[2]}>",) for key in chosen.values()])}
        ?sent <{OA}start> ?start ; <{OA}end> ?end ; <{OA}exact> ?exact }} LIMIT {len(chosen)}""", len(chosen))}
    out = {}
    for triple, (g, _, sent, rule) in chosen.items():
        if sent in sentences:
            r = sentences[sent]
            out[triple] = (g[len(EVIDENCE_GRAPH_PREFIX):], int(r["start"].value), int(r["end"].value),
                           r["exact"].value, rule or None)
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
