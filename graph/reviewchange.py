"""Reviewers' decisions applied by the change only: `r2pkg review apply`, and `r2pkg add` with decisions.

A full build applies the decisions to every document's facts (graph/review.py `apply`). When only the
decisions changed, or documents were added by graph/incremental.py, this module changes the served
build's copy (RocksDB checkpoints of its store and of the reasoner's kept closure) by the difference:

  * what the decisions make of the build is computed again (`review.apply_decisions`) from what they
    read of it: which of their facts a document states (the store's document graphs, and the facts
    the served build's decisions removed, kept with the documents stating them: incremental.REVIEWED),
    the texts of the documents their evidence quotes and the sentences of facts a correction quotes
    nothing of (those documents' kept loaded form only, never every document);
  * a fact now removed leaves every document graph stating it, and its r2p:Evidence nodes (all their
    triples, whatever they hold) leave the evidence graphs; a fact given back (its decision withdrawn)
    returns to the graphs of the documents that state it, with its evidence from their kept form;
  * the curated graph, its evidence, the decisions and the rejected facts are replaced by their
    difference; the entities the facts name, their reference (gazetteer) triples and external links
    follow; each triple is in the default graph while a named graph states it (incremental._Change);
  * inference: the facts that left the input are taken out of the kept closure by delete and
    re-derive, the new ones continue it (`Reasoner.change_closure`); graph/inferred is then what is
    derived, in scope and not stated, for every triple whose standing changed;
  * SHACL on the changed nodes (the evidence shape on the facts whose statements or evidence changed),
    the consistency check on the changed nodes; the findings about other nodes kept;
  * the report's figures from the served build's and the difference, as a full build computes them.

The result is the store a full build with the same decisions makes (tests/test_review_change.py
compares them quad by quad). A served build kept before the removed facts were kept (no REVIEWED
file), or with another r2pkg, ontology or shapes, is re-derived in full by graph/build.py.
"""
from __future__ import annotations

import json
import pickle
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from r2pkg.loaders import reference_facts
from r2pkg.loaders.model import LoadedDocument

from . import incremental, iris, review, store as stores
from .buildparts import _external, _nquads, _ntriples
from .evidence import evidence_ntriples, rule_triples
from .incremental import _Change, _individual, _nodes, closure_path
from .resources import ONTOLOGY_FILE
from .store import from_ox
from .vocab import DOCUMENT_GRAPH_PREFIX, EVIDENCE_GRAPH_PREFIX, GAZETTEER_GRAPH, INFERRED_GRAPH

RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = (ox.NamedNode(str(t)) for t in (RDF.subject, RDF.predicate, RDF.object))
REVIEW_GRAPHS = (review.CURATED_GRAPH, review.CURATED_EVIDENCE_GRAPH, review.DECISIONS_GRAPH, review.REJECTED_GRAPH)
CURATED = str(review.CURATED_GRAPH)
GAZETTEER = str(GAZETTEER_GRAPH)
INFERRED = ox.NamedNode(str(INFERRED_GRAPH))
# Graphs whose statements the reasoner reads (the build's `facts + reference`), and the asserted ones
# the evidence shape reads (the build's `asserted`).
ASSERTED_REVIEW = (CURATED, str(review.CURATED_EVIDENCE_GRAPH))

Stage = Callable[[str], object]


def can_apply(served: stores.BuildPaths) -> bool:
    """Whether the served build can be changed by the decisions' difference: its kept state can be
    continued and it kept the facts its decisions removed."""
    return incremental.can_continue(served) and (served.incremental / incremental.REVIEWED).is_file()


def apply(paths: stores.BuildPaths, served: stores.BuildPaths, report, stage: Stage) -> None:
    """Write into `paths` the served build with the decisions as they now are; fills `report` as a full
    build would."""
    old = json.loads(served.report.read_text(encoding="utf-8"))
    with stage("keep"):
        incremental._link_tree(served.documents, paths.documents)
        incremental._link_tree(served.originals, paths.originals)
        paths.incremental.mkdir()
        ox.Store.read_only(str(closure_path(served.incremental))).backup(str(closure_path(paths.incremental)))
        ox.Store.read_only(str(served.store)).backup(str(paths.store))
    report.documents = list(old["documents"])
    change(paths, served, old, report, stage, {}, served.incremental)


def after_add(paths: stores.BuildPaths, served: stores.BuildPaths, report, stage: Stage,
              added: list[LoadedDocument]) -> None:
    """The decisions applied to a build `incremental.add` just wrote into `paths` (from `served`): they
    act on the added documents' facts as on the others (a rejected fact an added document states
    leaves its graph)."""
    old = json.loads(report.to_json())
    change(paths, served, old, report, lambda name: stage("review " + name), {d.slug: d for d in added},
           paths.incremental)


def change(paths: stores.BuildPaths, served: stores.BuildPaths, old: dict, report, stage: Stage,
           added: dict[str, LoadedDocument], state: Path) -> None:
    """The store and closure in `paths` changed by what the decisions now make of them (module docstring).
    `old`: the report of the build in `paths` before; `state`: the folder of its entities and findings."""
    data_dir = paths.root.parents[1]          # DATA_DIR/builds/<stamp>
    store = ox.Store(str(paths.store))
    before = _snapshot(store, paths.root / ".before-review")
    try:
        with stage("facts"):
            decisions, problems = review.read_decisions(review.decisions_path(data_dir))
            was = incremental.removed_by_review(served.incremental)
            docs = _Documents(paths.documents, added, [d["slug"] for d in old["documents"]])
            stating = {f: docs.ordered(_stating(store, f) | set(was.get(f, ()))) for f in review.decision_facts(decisions)}
            read_in = docs.ordered(slug for slugs in stating.values() for slug in slugs)
            rules = review.rules_index(filter(None, map(docs.get, read_in)), decisions)
            applied = review.apply_decisions(decisions, problems, {f for f, slugs in stating.items() if slugs},
                                             docs.texts(), _Sentences(stating, docs), rules)
            out, into, now_removed = _fact_changes(store, applied.removed, was, docs)
            out += [q for g in REVIEW_GRAPHS for q in _graph_change(store, g, applied.graphs.get(g) or
                                                                    applied.records.get(g) or [], into)]
            change_ = _Change(store)
            for q in out:
                change_.remove(q)
            for q in into:
                change_.add(q)
            entities = _entities_after(store, incremental._read_entities(state), out, into)
            reference = list(reference_facts(entities)) + list(rule_triples())   # as a full build's gazetteer graph
            out_ref, into_ref = _replace_graph(change_, GAZETTEER_GRAPH, _ntriples(reference))
            external, report.unlinked_entities = _external(entities)
            incremental._replace_external(change_, external)

        with stage("inference"):
            from .reasoning import Reasoner, ScopeFilter

            reasoner = Reasoner(Graph().parse(ONTOLOGY_FILE, format="turtle"))
            stated = lambda t: _stated(store, t)     # noqa: E731
            facts_out = {_triple(q) for q in (*out, *out_ref) if _reasoned(q)}
            facts_in = {_triple(q) for q in (*into, *into_ref) if _reasoned(q)}
            left = {t for t in facts_out if not stated(t)}
            gone, new = reasoner.change_closure(closure_path(paths.incremental), left, facts_in, stated)
            changed = _nodes(left, facts_in, gone, new)
            report.consistency = _consistency(reasoner, closure_path(paths.incremental), changed, old["consistency"])
            closure = ox.Store.read_only(str(closure_path(paths.incremental)))
            in_scope = ScopeFilter(reasoner.schema.terms)
            ontology = reasoner._ontology_ox()
            touched = left | facts_in | gone | new
            wanted = {t for t in touched if _has(closure, t) and in_scope(t)
                      and t not in ontology and not stated(t)}
            del closure

        with stage("store"):
            as_inferred = lambda ts: set(ox.parse(_nquads({INFERRED_GRAPH: _ntriples(reasoner.to_rdflib(ts))}),  # noqa: E731
                                                  ox.RdfFormat.N_QUADS))
            keep = as_inferred(wanted)
            for q in as_inferred(touched) - keep:
                change_.remove(q)
            for q in keep:
                change_.add(q)
            _report(report, old, before, store, change_, [*out, *into], applied, data_dir, len(reference), external)
            store.flush()

        with stage("shacl"):
            changed_quads = [*out, *into, *out_ref, *into_ref]
            focus = {n for n in change_.subjects if _individual(n)} | _nodes(changed_quads)
            findings = _evidence_findings(store, changed_quads, incremental.old_findings(state))
            report.shacl, findings = incremental._validate_change(store, [], [], focus, findings)
    finally:
        del before
        shutil.rmtree(paths.root / ".before-review", ignore_errors=True)
    del store
    incremental.keep_state(paths.incremental, entities, findings, now_removed)


# --------------------------------------------------------------------------------------------
# The documents concerned, read from their kept form
# --------------------------------------------------------------------------------------------

class _Documents:
    """The build's documents as loaded, read from their kept pickles only when asked for (the added
    ones given), and their order in the build (what a full build's lists follow)."""

    def __init__(self, folder: Path, added: dict[str, LoadedDocument], order: list[str]):
        self.folder, self.loaded = folder, dict(added)
        self.position = {slug: i for i, slug in enumerate(order)}
        self._evidence: dict[str, list[str]] = {}

    def get(self, slug: str) -> LoadedDocument | None:
        if slug not in self.loaded:
            path = self.folder / f"{slug}.pickle"
            if not path.is_file():
                return None
            with open(path, "rb") as f:
                self.loaded[slug] = pickle.load(f)[1]
        return self.loaded[slug]

    def ordered(self, slugs: Iterable[str]) -> list[str]:
        return sorted(set(slugs), key=lambda s: (self.position.get(s, len(self.position)), s))

    def evidence(self, slug: str) -> list[str]:
        """The document's evidence graph as a full build writes it before the decisions (N-Triples lines)."""
        if slug not in self._evidence:
            doc = self.get(slug)
            self._evidence[slug] = evidence_ntriples(doc) if doc is not None else []
        return self._evidence[slug]

    def texts(self) -> Mapping[str, str]:
        return _Texts(self)


class _Texts(Mapping):
    """slug -> text, read when asked (review._locate asks for the documents decisions quote)."""

    def __init__(self, docs: _Documents):
        self.docs = docs

    def __getitem__(self, slug: str) -> str:
        doc = self.docs.get(slug)
        if doc is None:
            raise KeyError(slug)
        return doc.text

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(p.stem for p in self.docs.folder.glob("*.pickle")))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Sentences(Mapping):
    """fact -> the sentences its evidence names in the first document stating it (in the build's order)
    that has any: the head of what review.sentences_of gives over every document's evidence, and all a
    correction quoting nothing uses (its first). Read only when such a correction asks."""

    def __init__(self, stating: dict[review.Triple, list[str]], docs: _Documents):
        self.stating, self.docs = stating, docs

    def __getitem__(self, fact: review.Triple) -> list[str]:
        for slug in self.stating.get(fact, ()):
            found = review.sentences_of(self.docs.evidence(slug)).get(fact)
            if found:
                return found
        raise KeyError(fact)

    def __iter__(self) -> Iterator[review.Triple]:
        return iter(self.stating)

    def __len__(self) -> int:
        return len(self.stating)


# --------------------------------------------------------------------------------------------
# The difference
# --------------------------------------------------------------------------------------------

def _fact_changes(store: ox.Store, removed: set[review.Triple], was: dict[review.Triple, list[str]],
                  docs: _Documents) -> tuple[list[ox.Quad], list[ox.Quad], dict[review.Triple, list[str]]]:
    """The document and evidence graph quads that leave (facts now removed, wherever stated) and come
    back (facts no longer removed, to the documents that state them), and the removed facts with
    the documents stating them, as the build keeps them."""
    out: list[ox.Quad] = []
    into: list[ox.Quad] = []
    now: dict[review.Triple, list[str]] = {}
    for fact in sorted(removed):
        t = _ox_triple(fact)
        slugs = set(was.get(fact, ()))
        for q in store.quads_for_pattern(t.subject, t.predicate, t.object):
            if _in(q, DOCUMENT_GRAPH_PREFIX):
                out.append(q)
                slugs.add(q.graph_name.value.removeprefix(DOCUMENT_GRAPH_PREFIX))
        out += _evidence_of(store, t)
        now[fact] = docs.ordered(slugs)
    for fact in sorted(set(was) - removed):
        t = _ox_triple(fact)
        for slug in was[fact]:
            into.append(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(iris.document_graph(slug)))))
            lines = _evidence_lines_of(docs.evidence(slug), fact)
            into += ox.parse(_nquads({iris.evidence_graph(slug): lines}), ox.RdfFormat.N_QUADS)
    return out, into, now


def _evidence_of(store: ox.Store, t: ox.Triple) -> list[ox.Quad]:
    """Every quad of the r2p:Evidence nodes of a fact in the documents' evidence graphs."""
    found = []
    for q in store.quads_for_pattern(None, RDF_SUBJECT, t.subject):
        if not _in(q, EVIDENCE_GRAPH_PREFIX):
            continue
        node, graph = q.subject, q.graph_name
        if ox.Quad(node, RDF_PREDICATE, t.predicate, graph) in store and ox.Quad(node, RDF_OBJECT, t.object, graph) in store:
            found += store.quads_for_pattern(node, None, None, graph)
    return found


def _evidence_lines_of(lines: list[str], fact: review.Triple) -> list[str]:
    """The lines of an evidence graph that describe the fact's r2p:Evidence nodes (every line of them)."""
    nodes = {line.split(" ", 1)[0] for line in lines} - \
        {line.split(" ", 1)[0] for line in review.without_evidence_of(lines, {fact})}
    return [line for line in lines if line.split(" ", 1)[0] in nodes]


def _graph_change(store: ox.Store, graph: URIRef, lines: list[str], into: list[ox.Quad]) -> list[ox.Quad]:
    """A graph of the decisions replaced by its new lines: the quads that leave are returned, those
    that come are appended to `into`."""
    new = set(ox.parse(_nquads({graph: lines}), ox.RdfFormat.N_QUADS))
    now = set(store.quads_for_pattern(None, None, None, ox.NamedNode(str(graph))))
    into += sorted(new - now, key=str)
    return sorted(now - new, key=str)


def _replace_graph(change: _Change, graph: URIRef, lines: list[str]) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """A graph replaced by its new lines through `change` (so the default graph follows); what left and came."""
    into: list[ox.Quad] = []
    out = _graph_change(change.store, graph, lines, into)
    for q in out:
        change.remove(q)
    for q in into:
        change.add(q)
    return out, into


def _entities_after(store: ox.Store, known: set[URIRef], out: list[ox.Quad], into: list[ox.Quad]) -> set[URIRef]:
    """The entities the facts name (build._entities of the facts) after the change: those of facts that
    left, unless another fact still names them, and those of the facts that came."""
    facts = lambda quads: [q for q in quads if _asserted_fact(q)]  # noqa: E731
    gone = {URIRef(t.value) for q in facts(out) for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
    came = {URIRef(t.value) for q in facts(into) for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
    still = {e for e in gone if _named(store, ox.NamedNode(str(e)))}
    return (known - gone) | still | came


def _named(store: ox.Store, node: ox.NamedNode) -> bool:
    """Whether a fact (a document graph's or the curated graph's) names the node."""
    return any(_asserted_fact(q) for pattern in ((node, None, None), (None, None, node))
               for q in store.quads_for_pattern(*pattern))


def _stating(store: ox.Store, fact: review.Triple) -> set[str]:
    """The documents whose graphs state the fact."""
    t = _ox_triple(fact)
    return {q.graph_name.value.removeprefix(DOCUMENT_GRAPH_PREFIX)
            for q in store.quads_for_pattern(t.subject, t.predicate, t.object) if _in(q, DOCUMENT_GRAPH_PREFIX)}


def _stated(store: ox.Store, t: ox.Triple) -> bool:
    """Whether the reasoner's input has the triple: a document's fact, a curated fact, a reference triple."""
    return any(_reasoned(q) for q in store.quads_for_pattern(t.subject, t.predicate, t.object))


def _reasoned(q: ox.Quad) -> bool:
    return not isinstance(q.graph_name, ox.DefaultGraph) and (
        q.graph_name.value.startswith(DOCUMENT_GRAPH_PREFIX) or q.graph_name.value in (CURATED, GAZETTEER))


def _in(q: ox.Quad, prefix: str) -> bool:
    return not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name.value.startswith(prefix)


def _has(store: ox.Store, t: ox.Triple) -> bool:
    return next(iter(store.quads_for_pattern(t.subject, t.predicate, t.object)), None) is not None


def _triple(q: ox.Quad) -> ox.Triple:
    return ox.Triple(q.subject, q.predicate, q.object)


def _ox_triple(fact: review.Triple) -> ox.Triple:
    return next(iter(ox.parse(" ".join(fact) + " .\n", ox.RdfFormat.N_TRIPLES)))


def _snapshot(store: ox.Store, folder: Path) -> ox.Store:
    """The store as it is now, read-only (a RocksDB checkpoint: hard links), to compare with after."""
    shutil.rmtree(folder, ignore_errors=True)
    store.flush()
    store.backup(str(folder))
    return ox.Store.read_only(str(folder))


# --------------------------------------------------------------------------------------------
# The report, SHACL and the consistency check
# --------------------------------------------------------------------------------------------

def _report(report, old: dict, before: ox.Store, store: ox.Store, change: _Change, facts: list[ox.Quad],
            applied: review.Applied, data_dir: Path, reference: int, external: list) -> None:
    """The figures a full build reports, from the build's before and the change."""
    fact_triples = {_triple(q) for q in facts if _asserted_fact(q)}
    asserted = lambda s, t: any(_asserted_fact(q) for q in s.quads_for_pattern(t.subject, t.predicate, t.object))  # noqa: E731
    report.asserted_triples = old["asserted_triples"] + sum(asserted(store, t) - asserted(before, t) for t in fact_triples)
    evidence = lambda counts: sum(n for g, n in counts.items() if g.startswith(EVIDENCE_GRAPH_PREFIX))  # noqa: E731
    report.evidence_triples = old["evidence_triples"] + evidence(change.added) - evidence(change.removed)
    report.reference_triples = reference
    report.external_triples = len(external)
    report.inferred_triples = old["inferred_triples"] + change.added[INFERRED.value] - change.removed[INFERRED.value]
    report.total_quads = old["total_quads"] + change.named_net()
    candidates = {n for n in change.subjects if _individual(n) or isinstance(n, ox.NamedNode)}
    report.entities_per_class = incremental._class_counts(
        old["entities_per_class"], {n: incremental._entity_classes(before, n) for n in candidates},
        {n: incremental._entity_classes(store, n) for n in candidates})
    report.review = applied.summary()
    if applied.counts:
        report.review["precision"] = review.precision_by(review.read_decisions(review.decisions_path(data_dir))[0],
                                                         applied.rules)


def _evidence_findings(store: ox.Store, changed: list[ox.Quad], kept: list[incremental.Finding]) -> list[incremental.Finding]:
    """The findings kept with those of the evidence shape ("every fact has evidence") made again for the
    facts' subjects whose statements or evidence changed, over the asserted graphs as a full build reads them."""
    from .validate import Validator

    focus = {q.subject for q in changed if _asserted_fact(q)}
    focus |= {q.object for q in changed if q.predicate == RDF_SUBJECT and _asserted_evidence(q)}
    data = ox.Store()
    for node in focus:
        data.extend(q for q in store.quads_for_pattern(node, None, None) if _asserted_fact(q) or _asserted_evidence(q))
        for q in store.quads_for_pattern(None, RDF_SUBJECT, node):
            if _asserted_evidence(q):
                data.extend(store.quads_for_pattern(q.subject, None, None, q.graph_name))
    validator = Validator()
    validator.check_facts_and_evidence(data)
    focus_n3 = {from_ox(n).n3() for n in focus}
    found = [f for f in incremental.findings_of(validator.results, len(validator.results))
             if f[2] in focus_n3]
    return [f for f in kept if f[0] == "evidence" and f[2] not in focus_n3] + found + \
        [f for f in kept if f[0] != "evidence"]


def _asserted_fact(q: ox.Quad) -> bool:
    return _in(q, DOCUMENT_GRAPH_PREFIX) or (not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name.value == CURATED)


def _asserted_evidence(q: ox.Quad) -> bool:
    return _in(q, EVIDENCE_GRAPH_PREFIX) or (not isinstance(q.graph_name, ox.DefaultGraph)
                                            and q.graph_name.value == str(review.CURATED_EVIDENCE_GRAPH))


def _consistency(reasoner, closure: Path, changed: set, old: list[str]) -> list[str]:
    """The served build's inconsistencies about nodes the change left alone, and those found again
    among the changed nodes' triples in the closure (a removal may end one, an addition make one)."""
    named = {str(node) for node in changed}
    kept = [m for m in old if not any(n in m for n in named)]
    return incremental._consistency(reasoner, closure, changed, kept)
