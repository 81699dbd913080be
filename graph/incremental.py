"""`r2pkg add` by the change only: the served build continued, not rebuilt.

A full build keeps, beside its store, what an addition continues from (BuildPaths.incremental):
the reasoner's whole closure as an on-disk store, the entities the documents name, and the SHACL
findings with their focus nodes. Adding documents to it then costs in proportion to them:

  * the store and the closure are RocksDB checkpoints of the served ones (hard links), changed
    in place: the new documents' graphs, their corpus and reference triples, the new inferences,
    each new triple once in the default graph (the merge); external links recomputed (a state
    named for the first time loses its fallback label);
  * inference is continued semi-naively from the kept closure (the rules are monotone): the new
    facts are the first delta; inferred triples that a new document now states leave graph/inferred;
  * SHACL runs on the changed resources (the graph's own nodes the new triples are about or point
    to), with their triples, those pointing to them by a property a shape reads backwards
    (sh:inversePath) and the types of the nodes they point to where a shape checks sh:class; the
    findings about other nodes are kept; the consistency check likewise on the changed nodes;
  * the dumps are written after publishing, by a detached process (`write_dumps_later`); until
    they are there the build has no dumps folder and /dumps says they are not built yet.

Removing a document (and adding one that replaces a document of the same slug) is not monotone:
it re-derives every stage from the kept documents (graph/build.py), which remains the reference.
With reviewers' decisions, graph/reviewchange.py applies them to the change afterwards (and alone
for `r2pkg review apply`); every build keeps, for it, the facts its decisions removed (REVIEWED).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from r2pkg.loaders import reference_facts
from r2pkg.loaders.model import LoadedDocument

from . import dumps, iris, store as stores
from .buildparts import (DumpsBefore, _corpus_triples, _entities, _external, _keep_documents, _link_or_copy, _nquads,
                         _ntriples, as_held, write_dumps)
from .evidence import evidence_ntriples, fact_triples
from .resources import ONTOLOGY_FILE, SHAPES_FILE
from .review import DECISIONS_GRAPH, REJECTED_GRAPH
from .store import from_ox, to_ox
from .vocab import (ID, CORPUS_GRAPH, GRAPH, DOCUMENT_GRAPH_PREFIX, EVIDENCE_GRAPH_PREFIX, GAZETTEER_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH,
                    PREFIXES)

# What the kept state means; a build kept with another version, ontology or shapes is re-derived in full.
VERSION = 1
CLOSURE, ENTITIES, FINDINGS, STATE = "closure", "entities.txt", "shacl.json", "state.json"
# What an `add` changed, for its dumps (`_keep_dumps_change`), removed once they are written.
DUMPS_CHANGE, CHANGE_RECORD = "dumps-change", "change.json"
ADDED_QUADS, ADDED_TRIPLES, REMOVED_TRIPLES = "added.nq", "added.nt", "removed.nt"
REVIEWED = "review-removed.json"   # the facts the decisions removed, with the documents stating them
R2P_CLASS_PREFIX = PREFIXES["r2p"]
NOT_ENTITY_CLASSES = {R2P_CLASS_PREFIX + c for c in ("Evidence", "Sentence", "Mention")}
TYPE = ox.NamedNode(str(RDF.type))
ID_PREFIX = str(ID)
DEFAULT = ox.DefaultGraph()
# Graphs the build writes after SHACL (graph/build.py: `schema`): not part of what is validated.
SCHEMA_GRAPHS = {str(ONTOLOGY_GRAPH), str(GRAPH["external"]), str(DECISIONS_GRAPH), str(REJECTED_GRAPH)}
SCHEMA_GRAPH_NODES = [ox.NamedNode(g) for g in sorted(SCHEMA_GRAPHS)]

Finding = tuple[str, str, str, str]   # (kind: "evidence" | "general", severity, focus in N3, message)


def closure_path(folder: Path) -> Path:
    return folder / CLOSURE


def _fingerprint() -> dict:
    """What the kept closure and findings depend on besides the documents."""
    digest = lambda path: hashlib.sha256(path.read_bytes()).hexdigest()   # noqa: E731
    return {"version": VERSION, "ontology": digest(ONTOLOGY_FILE), "shapes": digest(SHAPES_FILE)}


def keep_state(folder: Path, entities: Iterable[URIRef], findings: list[Finding],
               removed_by_review: dict[tuple, list[str]] | None = None) -> None:
    """Write the entities, the findings and the fingerprint beside the closure (written by the reasoner),
    and the facts the reviewers' decisions removed with the documents that state them (review.Applied.stated_by)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / REVIEWED).write_text(json.dumps([[*fact, slugs] for fact, slugs in sorted((removed_by_review or {}).items())],
                                              ensure_ascii=False), encoding="utf-8")
    (folder / ENTITIES).write_text("".join(f"{e}\n" for e in sorted(map(str, entities))), encoding="utf-8")
    (folder / FINDINGS).write_text(json.dumps(findings, ensure_ascii=False), encoding="utf-8")
    (folder / STATE).write_text(json.dumps(_fingerprint()), encoding="utf-8")


def can_continue(served: stores.BuildPaths) -> bool:
    """Whether the served build kept a state this r2pkg, ontology and shapes can continue."""
    state = served.incremental / STATE
    try:
        return json.loads(state.read_text(encoding="utf-8")) == _fingerprint() and \
            closure_path(served.incremental).is_dir() and served.report.is_file()
    except (OSError, ValueError):
        return False


def served_slugs(served: stores.BuildPaths) -> set[str]:
    return {p.stem for p in served.documents.glob("*.pickle")}


# --------------------------------------------------------------------------------------------
# The addition
# --------------------------------------------------------------------------------------------

def add(paths: stores.BuildPaths, served: stores.BuildPaths, added: list[tuple[LoadedDocument, object]],
        report, stage: Callable) -> list[str]:
    """Write into `paths` the served build plus the `added` documents (none of whose slugs it has);
    fills `report` as a full build would. Returns one line per added document (what it brought)."""

    old = json.loads(served.report.read_text(encoding="utf-8"))
    with stage("keep"):
        _link_tree(served.documents, paths.documents)
        _link_tree(served.originals, paths.originals)
        _keep_documents(added, paths, None)
        paths.incremental.mkdir()
        ox.Store.read_only(str(closure_path(served.incremental))).backup(str(closure_path(paths.incremental)))
        ox.Store.read_only(str(served.store)).backup(str(paths.store))

    with stage("facts"):
        doc_facts = {d.slug: list(fact_triples(d)) for d, _ in added}
        facts = [t for ts in doc_facts.values() for t in ts]
        known = _read_entities(served.incremental)
        entities = _entities(facts)
        reference = list(reference_facts(entities - known))
        external, report.unlinked_entities = _external(known | entities)
        named = {iris.document_graph(s): _ntriples(ts) for s, ts in doc_facts.items()}
        named |= {iris.evidence_graph(d.slug): evidence_ntriples(d) for d, _ in added}
        asserted = list(ox.parse(_nquads(named), ox.RdfFormat.N_QUADS))
        derived_input = list(ox.parse(_nquads({GAZETTEER_GRAPH: _ntriples(reference),
                                               CORPUS_GRAPH: _ntriples(_corpus_triples(added))}),
                                      ox.RdfFormat.N_QUADS))
        new_input = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in facts + reference]

    with stage("inference"):
        from .reasoning import Reasoner

        reasoner = Reasoner(Graph().parse(ONTOLOGY_FILE, format="turtle"))
        derived = reasoner.continue_closure(closure_path(paths.incremental), new_input)
        inferred = list(ox.parse(_nquads({INFERRED_GRAPH: _ntriples(reasoner.to_rdflib(derived))}),
                                 ox.RdfFormat.N_QUADS))
        changed = _nodes(new_input, derived)
        report.consistency = _consistency(reasoner, closure_path(paths.incremental), changed, old["consistency"])

    store = ox.Store(str(paths.store))
    with stage("store"):
        lines = [_what_it_added(store, doc, doc_facts[doc.slug], known) for doc, _ in added]
        report.asserted_triples = old["asserted_triples"] + sum(
            not _in_documents(store, t) for t in {(q.subject, q.predicate, q.object) for q in asserted
                                                  if q.graph_name.value.startswith(DOCUMENT_GRAPH_PREFIX)})
        change = _Change(store)
        candidates = {q.subject for q in asserted if q.graph_name.value.startswith(DOCUMENT_GRAPH_PREFIX)}
        candidates |= {q.subject for q in (*derived_input, *inferred) if q.predicate == TYPE}
        before = {e: _entity_classes(store, e) for e in candidates}
        for quad in (*asserted, *derived_input, *inferred):
            change.add(quad)
        inferred_graph = ox.NamedNode(str(INFERRED_GRAPH))
        stated = [q for q in (*asserted, *derived_input) if not q.graph_name.value.startswith(EVIDENCE_GRAPH_PREFIX)
                  and q.graph_name.value != str(CORPUS_GRAPH)]
        for q in stated:   # stated now: no longer an inference
            change.remove(ox.Quad(q.subject, q.predicate, q.object, inferred_graph), keep_in_default=True)
        _replace_external(change, external)
        report.entities_per_class = _class_counts(old["entities_per_class"], before,
                                                  {e: _entity_classes(store, e) for e in candidates})
        report.evidence_triples = old["evidence_triples"] + sum(
            q.graph_name.value.startswith(EVIDENCE_GRAPH_PREFIX) for q in asserted)
        report.reference_triples = old["reference_triples"] + change.added[str(GAZETTEER_GRAPH)]
        report.external_triples = len(external)
        report.inferred_triples = (old["inferred_triples"] + change.added[str(INFERRED_GRAPH)]
                                   - change.removed[str(INFERRED_GRAPH)])
        report.total_quads = old["total_quads"] + change.named_net()   # as the build: the named graphs
        store.flush()
        _keep_dumps_change(paths, served, change)

    with stage("shacl"):
        focus = {node for node in change.subjects if _individual(node)} | _nodes(asserted)
        report.shacl, findings = _validate_change(store, asserted, [*asserted, *derived_input, *inferred], focus,
                                                  old_findings(served.incremental))
    del store
    report.documents[:0] = old["documents"]
    keep_state(paths.incremental, known | entities, findings, removed_by_review(served.incremental))
    return lines


def removed_by_review(folder: Path) -> dict[tuple, list[str]]:
    """The facts the kept build's decisions removed -> the documents stating them ({} if none kept)."""
    try:
        rows = json.loads((folder / REVIEWED).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {tuple(row[:3]): row[3] for row in rows}


def old_findings(folder: Path) -> list[Finding]:
    return [tuple(f) for f in json.loads((folder / FINDINGS).read_text(encoding="utf-8"))]


def _read_entities(folder: Path) -> set[URIRef]:
    return {URIRef(line) for line in (folder / ENTITIES).read_text(encoding="utf-8").splitlines() if line}


def _link_tree(source: Path, target: Path) -> None:
    """Every file of the served build's folder, hard-linked (shared, unchanged) into the new build."""

    target.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        _link_or_copy(path, target / path.name)


class _Change:
    """Quads added to and removed from a store, each triple kept once in the default graph (the merge
    of the named graphs), with the counts the report needs (per graph; "" the default graph)."""

    def __init__(self, store: ox.Store):
        self.store = store
        self.added: Counter = Counter()
        self.removed: Counter = Counter()
        self.subjects: set = set()
        self.new_quads: list[ox.Quad] = []      # the named graphs' and the merge's new statements, for the dumps
        self.left_merge: list[ox.Triple] = []   # statements that left the merge

    def named_net(self) -> int:
        return sum(n for g, n in self.added.items() if g) - sum(n for g, n in self.removed.items() if g)

    def add(self, quad: ox.Quad) -> None:
        for q in (quad, ox.Quad(quad.subject, quad.predicate, quad.object, DEFAULT)):
            if q not in self.store:
                self.store.add(q)
                self.added[_graph_key(q)] += 1
                self.subjects.add(q.subject)
                self.new_quads.append(q)

    def remove(self, quad: ox.Quad, *, keep_in_default: bool = False) -> None:
        if quad not in self.store:
            return
        self.store.remove(quad)
        self.removed[_graph_key(quad)] += 1
        self.subjects.add(quad.subject)
        if not keep_in_default and not any(not isinstance(q.graph_name, ox.DefaultGraph) for q in
                                           self.store.quads_for_pattern(quad.subject, quad.predicate, quad.object)):
            self.store.remove(ox.Quad(quad.subject, quad.predicate, quad.object, DEFAULT))
            self.left_merge.append(quad.triple)


def _graph_key(quad: ox.Quad) -> str:
    return "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value


def _replace_external(change: _Change, external: list[tuple]) -> None:
    """The external-links graph for all entities now named (not monotone: a state named for the first
    time loses the label given to states no document names)."""
    if not external:
        return
    from .external import EXTERNAL_GRAPH

    graph = ox.NamedNode(str(EXTERNAL_GRAPH))
    new = set(ox.parse(_nquads({EXTERNAL_GRAPH: _ntriples(external)}), ox.RdfFormat.N_QUADS))
    old = set(change.store.quads_for_pattern(None, None, None, graph))
    for quad in old - new:
        change.remove(quad)
    for quad in new - old:
        change.add(quad)


def _in_documents(store: ox.Store, triple: tuple) -> bool:
    """Whether a document graph states the triple."""
    return any(q.graph_name.value.startswith(DOCUMENT_GRAPH_PREFIX)
               for q in store.quads_for_pattern(*triple) if not isinstance(q.graph_name, ox.DefaultGraph))


def _entity_classes(store: ox.Store, node) -> set[str]:
    """The r2p classes `node` counts under in the report (stats.entities_per_class): none unless a
    document graph has it as a subject."""
    named = (q.graph_name for q in store.quads_for_pattern(node, None, None) if not isinstance(q.graph_name, ox.DefaultGraph))
    if not any(g.value.startswith(DOCUMENT_GRAPH_PREFIX) for g in named):
        return set()
    return {q.object.value for q in store.quads_for_pattern(node, TYPE, None, DEFAULT)
            if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(R2P_CLASS_PREFIX)
            and q.object.value not in NOT_ENTITY_CLASSES}


def _class_counts(old: dict[str, int], before: dict, after: dict) -> dict[str, int]:
    """The report's entities per class, changed by the candidates' classes before and after, in the
    query's order (most first, then by name)."""
    counts = Counter({R2P_CLASS_PREFIX + c: n for c, n in old.items()})
    for node in before:
        counts.subtract(before[node])
        counts.update(after[node])
    ranked = sorted(((c, n) for c, n in counts.items() if n > 0), key=lambda cn: (-cn[1], cn[0]))
    return {c.removeprefix(R2P_CLASS_PREFIX): n for c, n in ranked}


def _what_it_added(store: ox.Store, doc: LoadedDocument, facts: list[tuple], known: set[URIRef]) -> str:
    """As build._what_it_added, against the served store before the change (no document read again)."""

    distinct = set(facts)
    new_facts = [t for t in distinct if not _in_documents(store, tuple(to_ox(x) for x in t))]
    new_entities = _entities(list(distinct)) - known
    kinds = Counter(str(o).rsplit("#", 1)[-1] for s, p, o in distinct if p == RDF.type and s in new_entities)
    shown = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common(6))
    return (f"{doc.slug} added: {len(distinct)} facts, {len(new_facts)} not stated by another document; "
            f"{len(new_entities)} entities new to the graph" + (f" ({shown})" if shown else ""))


def _nodes(*triples: Iterable) -> set:
    """The individuals triples are about or point to: the graph's own resources (under /id/), not the
    ontology's classes and properties an rdf:type or an evidence's rdf:predicate names, nor outside
    IRIs: those would bring every triple that uses them along."""
    return {term for many in triples for t in many for term in (t.subject, t.object) if _individual(term)}


def _individual(term) -> bool:
    return isinstance(term, ox.BlankNode) or (isinstance(term, ox.NamedNode) and term.value.startswith(ID_PREFIX))


def _consistency(reasoner, closure: Path, changed: set, old: list[str]) -> list[str]:
    """The served build's inconsistencies and those the change may have made: every new one is about a
    node the new facts or inferences are about or point to (its own triples suffice: two types, a
    triple to itself, or both directions of an asymmetric property, each a triple of one changed node)."""
    store = ox.Store.read_only(str(closure))
    triples = {(q.subject, q.predicate, q.object) for node in changed for q in store.quads_for_pattern(node, None, None)}
    del store
    found = reasoner.check([tuple(from_ox(t) for t in triple) for triple in triples], inferred=[])
    return old + [m for m in dict.fromkeys(found) if m not in old]


def _validated_triples(store: ox.Store, node, inverse: list[ox.NamedNode]) -> Iterable[ox.Quad]:
    """The node's triples a full build validates, and those pointing to it by an `inverse` property:
    read from the default graph (each triple once, not once per graph that states it), less those
    only the ontology or the external links state."""
    schema = {(q.subject, q.predicate, q.object) for g in SCHEMA_GRAPH_NODES
              for q in store.quads_for_pattern(node, None, None, g)}
    for q in store.quads_for_pattern(node, None, None, DEFAULT):
        if (q.subject, q.predicate, q.object) not in schema or any(
                _validate(other) for other in store.quads_for_pattern(q.subject, q.predicate, q.object)):
            yield q
    for p in inverse:
        yield from (q for q in store.quads_for_pattern(None, p, node) if _validate(q))


def _validate(quad: ox.Quad) -> bool:
    """Whether a full build validates the quad: the data graphs, not the ontology nor external links."""
    return not isinstance(quad.graph_name, ox.DefaultGraph) and quad.graph_name.value not in SCHEMA_GRAPHS


def _validate_change(store: ox.Store, asserted: list[ox.Quad], new: list[ox.Quad], focus: set,
                     kept: list[Finding]) -> tuple[dict, list[Finding]]:
    """SHACL on the changed resources: "every fact has evidence" on the new documents' graphs (`asserted`),
    the other shapes on the focus nodes. Their data: the new quads (`new`: the new documents' evidence
    nodes have no other), and for the others their triples in the store (theirs, and those pointing to
    them by a property the shapes read backwards: sh:inversePath); the types of the nodes they point to.
    The served build's findings about other nodes are kept."""
    from rdflib.namespace import SH

    from .validate import Validator, load_shapes

    validator = Validator()
    evidence = ox.Store()
    evidence.extend(asserted)
    validator.check_facts_and_evidence(evidence)
    evidence_found = len(validator.results)

    part = ox.NamedNode("urn:r2pkg:incremental:neighbourhood")
    data = {ox.Quad(q.subject, q.predicate, q.object, part) for q in new}
    only_new = {q.subject for q in asserted if q.graph_name.value.startswith(EVIDENCE_GRAPH_PREFIX)}
    shapes = load_shapes()
    inverse = [ox.NamedNode(str(p)) for p in sorted(set(shapes.objects(None, SH.inversePath)))]
    for node in focus - only_new:
        data.update(ox.Quad(t.subject, t.predicate, t.object, part) for t in _validated_triples(store, node, inverse))
    typed = _class_checked_properties(shapes)
    neighbours = {t for q in data if q.predicate.value in typed for t in (q.subject, q.object) if _individual(t)}
    for node in neighbours:
        data.update(ox.Quad(q.subject, q.predicate, q.object, part)
                    for q in store.quads_for_pattern(node, TYPE, None) if _validate(q))
    dataset = ox.Store()
    dataset.extend(data)
    validator.check_everything(dataset, focus=focus)
    focus_n3 = {from_ox(node).n3() for node in focus}
    findings = [f for f in kept if f[0] == "evidence" or f[2] not in focus_n3]
    findings += findings_of(validator.results, evidence_found)
    severities = [f[1] for f in findings]
    violations, warnings = severities.count(str(SH.Violation)), severities.count(str(SH.Warning))
    return ({"conforms": violations == 0, "violations": violations, "warnings": warnings,
             "messages": sorted({f[3] for f in findings})}, findings)


def _class_checked_properties(shapes: Graph) -> set[str]:
    """The properties on the paths of the shapes with sh:class: the nodes they lead to are checked by
    their types, which the neighbourhood must then hold."""
    from rdflib.namespace import SH

    found: set[str] = set()
    todo = [path for shape in shapes.subjects(SH["class"], None) for path in shapes.objects(shape, SH.path)]
    while todo:
        node = todo.pop()
        if isinstance(node, URIRef):
            found.add(str(node))
        else:
            todo += [o for p, o in shapes.predicate_objects(node) if p != RDF.type]
    return found - {str(RDF.first), str(RDF.rest), str(RDF.nil)}


def findings_of(validator_results: list, evidence_found: int) -> list[Finding]:
    """A full build's findings as kept (see keep_state): the first `evidence_found` from the evidence check."""
    return [("evidence" if i < evidence_found else "general", str(f.severity), f.focus.n3(), f.message)
            for i, f in enumerate(validator_results)]


# --------------------------------------------------------------------------------------------
# The dumps, after publishing
# --------------------------------------------------------------------------------------------

_WRITERS: list[subprocess.Popen] = []   # kept so that no handle is collected while its process runs


def write_dumps_later(build: stores.BuildPaths) -> None:
    """Start a detached process that writes the build's dumps from its store (graph/buildparts.write_dumps)."""
    log = open(build.root / "dumps.log", "wb")
    _WRITERS.append(subprocess.Popen(
        [sys.executable, "-m", "r2pkg.graph.incremental", str(build.root)], stdin=subprocess.DEVNULL,
        stdout=log, stderr=log, start_new_session=True, close_fds=True))
    log.close()


def pending_dumps() -> bool:
    """Whether this process started dump writers not waited for yet."""
    return bool(_WRITERS)


def wait_for_dumps(timeout: float | None = None) -> list[int]:
    """Wait for the dump writers this process started (a benchmark, a test); their exit codes."""
    codes = [writer.wait(timeout) for writer in _WRITERS]
    _WRITERS.clear()
    return codes


def _keep_dumps_change(paths: stores.BuildPaths, served: stores.BuildPaths, change: _Change) -> None:
    """What `change` did, beside the new build's store, for its dumps to continue the served build's
    (`write_dumps_now`): at 10,000 summaries, writing them all from the store took 17 minutes. Not kept when
    a statement added or removed has a blank node, whose label could clash with one of the earlier dumps' or
    differ from it."""
    if any(isinstance(term, ox.BlankNode) for q in change.new_quads for term in (q.subject, q.object, q.graph_name)) \
            or any(isinstance(term, ox.BlankNode) for t in change.left_merge for term in (t.subject, t.object)):
        return
    rewritten = sorted(g for g, n in change.removed.items() if g and n)
    folder = paths.incremental / DUMPS_CHANGE
    folder.mkdir()
    named = [q for q in change.new_quads if not isinstance(q.graph_name, ox.DefaultGraph)
             and q.graph_name.value not in rewritten]
    ox.serialize(named, folder / ADDED_QUADS, ox.RdfFormat.N_QUADS)
    # As the merge is now, whatever the order of the change, and as the store holds each statement: a statement
    # written in another form than the store's (an earlier version's external links' latitude "35.68950", held as
    # "35.6895") leaves the merge and comes back as the same statement.
    left = as_held(change.left_merge)
    new = as_held(q.triple for q in change.new_quads if isinstance(q.graph_name, ox.DefaultGraph))
    merged = lambda triple: ox.Quad(*triple, DEFAULT) in change.store   # noqa: E731
    ox.serialize([t for t in new - left if merged(t)], folder / ADDED_TRIPLES, ox.RdfFormat.N_TRIPLES)
    ox.serialize([t for t in left if not merged(t)], folder / REMOVED_TRIPLES, ox.RdfFormat.N_TRIPLES)
    (folder / CHANGE_RECORD).write_text(json.dumps({"before": str(served.root), "rewritten": rewritten}),
                                        encoding="utf-8")


def forget_dumps_change(paths: stores.BuildPaths) -> None:
    """The change kept for the build's dumps let go: they are written, or the build was changed again after
    `add` (reviewers' decisions applied to it) and they are to be written from the store."""
    shutil.rmtree(paths.incremental / DUMPS_CHANGE, ignore_errors=True)


def _dumps_before(build: stores.BuildPaths) -> DumpsBefore | None:
    """The earlier build's dumps and the change since, when the build kept them and those dumps are all there."""
    folder = build.incremental / DUMPS_CHANGE
    try:
        record = json.loads((folder / CHANGE_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    earlier = stores.BuildPaths(Path(record["before"])).dumps
    if not all((earlier / f"{name}.gz").is_file() for name in dumps.FORMATS):
        return None
    return DumpsBefore(earlier, [ox.NamedNode(g) for g in record["rewritten"]], folder / ADDED_QUADS,
                       folder / ADDED_TRIPLES, folder / REMOVED_TRIPLES)


def write_dumps_now(root: Path) -> None:
    """The dumps into hidden folders renamed when complete: /dumps lists them only once all are there.
    They continue the earlier build's when the change kept what it did (`_keep_dumps_change`) and those
    are all there, else they are read from the store.

    A build that a later change replaced before its dumps were done is left without them: no one can
    download a build that is not served, and its writer would take a core from the next build's (quick
    changes in a row each start one)."""
    build = stores.BuildPaths(root)
    partial = root / ".dumps-partial"
    before = _dumps_before(build)
    print(f"{root.name}: dumps " + (f"continued from {before.dumps.parent.name}'s" if before else "from the store"),
          file=sys.stderr)
    try:
        written = write_dumps(build.store, partial, wanted=lambda: _served(root), before=before)
    except FileNotFoundError:
        if before is None:
            raise
        print(f"{root.name}: the earlier build's dumps went away; from the store", file=sys.stderr)
        shutil.rmtree(partial, ignore_errors=True)
        written = write_dumps(build.store, partial, wanted=lambda: _served(root))
    if written:
        os.replace(partial, build.dumps)
        forget_dumps_change(build)
    else:
        shutil.rmtree(partial, ignore_errors=True)
        print(f"{root.name}: no longer served; its dumps are not written", file=sys.stderr)


def _served(root: Path) -> bool:
    served = stores.current_build(root.parents[1])      # DATA_DIR/builds/<stamp>
    return served is not None and served.root.resolve() == root.resolve()


if __name__ == "__main__":
    write_dumps_now(Path(sys.argv[1]))
