"""`r2pkg build`: documents -> facts with evidence -> inference -> SHACL -> store -> dumps -> report.

Everything is computed before the new store is published; a failure at any stage leaves the
store being served untouched (see graph/store.py).
"""
from __future__ import annotations

import errno
import json
import sys
import time
from itertools import chain
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, TypeVar

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDF

from r2pkg.loaders import reference_facts
from r2pkg.loaders.batch import each_document
from r2pkg.loaders.model import DocumentError, LoadedDocument

from . import dumps, incremental, iris, review, reviewchange, store as stores
from .buildparts import (BuildError, Graphs, SourceDocument, _corpus_triples, from_nquads,
                         _entities, _external, _keep_documents, _nquads, _ntriples, _sluggable,
                         keep_document, kept_documents, KeptDocuments, line_blocks)
from .evidence import evidence_ntriples, fact_triples, rule_triples
from .review import without_evidence_of
from .stats import count_entities
from .resources import ONTOLOGY_FILE
from .vocab import CORPUS_GRAPH, EVIDENCE_GRAPH_PREFIX, GAZETTEER_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, serialization_prefixes

DOCUMENT_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")
# From this many documents on, the load stage uses worker processes (loaders/batch.py). Below it
# forking and pickling the documents back cost more than they save. On 2 cores (make bench, 2026-12-06),
# 100 summaries loaded in 2.30 s in-process and 1.38 s with 2 workers; 1,000 in 11.2 s with 2 workers.
PARALLEL_LOAD_MIN = 40
MANIFEST = "manifest.json"
T = TypeVar("T")
CANNOT_CONTINUE = ("the served build's kept state cannot be continued (kept by another r2pkg, ontology or shapes, "
                   "or before builds kept the facts their decisions removed)")





@dataclass
class BuildReport:
    data_dir: str = ""
    documents: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    entities_per_class: dict[str, int] = field(default_factory=dict)
    asserted_triples: int = 0
    evidence_triples: int = 0
    reference_triples: int = 0
    external_triples: int = 0
    inferred_triples: int = 0
    total_quads: int = 0
    unlinked_entities: int | None = None
    shacl: dict = field(default_factory=dict)
    consistency: list[str] = field(default_factory=list)
    review: dict = field(default_factory=dict)      # the reviewers' decisions applied (graph/review.py)
    seconds_per_stage: dict[str, float] = field(default_factory=dict)
    seconds_total: float = 0.0

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)

    def render(self) -> str:
        """The report as a person reads it at the end of a build."""
        lines = [f"Build report ({self.data_dir})", ""]
        lines.append(f"Documents loaded: {len(self.documents)}")
        for doc in self.documents:
            lines.append(f"  {doc['slug']}: {doc['facts']} facts, {doc['mentions']} mentions")
        if self.errors:
            lines.append(f"Documents refused: {len(self.errors)}")
            lines += [f"  {e}" for e in self.errors]
        lines.append("Entities per class:")
        lines += [f"  {cls:<32} {n:>6}" for cls, n in self.entities_per_class.items()]
        lines += [
            f"Asserted triples:   {self.asserted_triples:>8}",
            f"Evidence triples:   {self.evidence_triples:>8}",
            f"Reference triples:  {self.reference_triples:>8}",
            f"External triples:   {self.external_triples:>8}",
            f"Inferred triples:   {self.inferred_triples:>8}",
            f"Quads in the store: {self.total_quads:>8}",
        ]
        if self.unlinked_entities is not None:
            lines.append(f"Entities without an external link: {self.unlinked_entities}")
        if self.shacl:
            verdict = "conforms" if self.shacl.get("conforms") else "DOES NOT CONFORM"
            lines.append(f"SHACL: {verdict} ({self.shacl.get('violations', 0)} violations, "
                         f"{self.shacl.get('warnings', 0)} warnings)")
            lines += [f"  {m}" for m in self.shacl.get("messages", [])[:20]]
        if self.consistency:
            lines.append("Inconsistencies:")
            lines += [f"  {m}" for m in self.consistency]
        lines += _review_lines(self.review)
        lines.append("Seconds per stage:")
        lines += [f"  {stage:<12} {secs:7.2f}" for stage, secs in self.seconds_per_stage.items()]
        lines.append(f"Total: {self.seconds_total:.2f} s")
        return "\n".join(lines)


def _review_lines(review: dict) -> list[str]:
    """The reviewers' decisions in the report: how many of each, the orphaned and unreadable ones, and
    the precision per rule that the reviewed facts give."""
    if not review.get("decisions") and not review.get("problems"):
        return []
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(review.get("decisions", {}).items()))
    lines = [f"Review decisions: {counts or 'none readable'}"]
    lines += [f"  unreadable: {m}" for m in review.get("problems", [])]
    lines += [f"  orphaned: {m}" for m in review.get("orphaned", [])]
    for kind in ("rule", "property"):
        for key, row in review.get("precision", {}).get(kind, {}).items():
            lines.append(f"  {kind} {key}: {row['confirmed']} confirmed, {row['rejected']} rejected, "
                         f"precision {row['precision']:.2f}")
    return lines


Progress = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(corpus_dirs: Iterable[Path], data_dir: Path, *, progress: Progress | None = None) -> BuildReport:
    """Build the graph of every document in the folders and publish it under data_dir.

    The whole build holds the data directory's build lock (graph/store.py: a second build at the
    same time raises store.BuildLocked), so builds cannot prune or replace each other's work.
    """
    data_dir = Path(data_dir).resolve()
    report = BuildReport(data_dir=str(data_dir))
    with stores.new_build(data_dir) as paths:
        _build_into(paths, corpus_dirs, report, progress or (lambda _m: None))
    return report


def add(files: Iterable[Path], data_dir: Path, *, progress: Progress | None = None) -> tuple[BuildReport, list[str]]:
    """Add documents to the served build, or replace those of the same slug, reading no other document
    again (their loaded form is kept in the build), and publish the result as `build` does.

    The graph is the one a full build of the same documents makes. A file whose folder has a manifest
    listing it gets that entry's metadata, as in a full build. Returns the build report and one line
    per added document saying what it brought to the graph.
    """
    data_dir = Path(data_dir).resolve()
    say = progress or (lambda _m: None)
    report = BuildReport(data_dir=str(data_dir))
    with stores.new_build(data_dir) as paths:
        started = time.perf_counter()
        served = _served_build(data_dir)
        with _stage(report, say, "load"):
            sources = [_added_source(Path(f)) for f in files]
            _check_unique_slugs(sources)
            added = _load_all(sources, report, say)
        if not added:
            raise BuildError("no document could be added: " + ("; ".join(report.errors) or "no file given")
                             + " (the served graph is unchanged)")
        # Continued from the served build when no added document replaces one (monotone: see
        # graph/incremental.py), the reviewers' decisions then applied to the change (graph/reviewchange.py);
        # else every stage after loading re-derived from the kept documents.
        slugs = {doc.slug for doc, _ in added}
        decided = _has_decisions(data_dir) or bool(incremental.removed_by_review(served.incremental))
        replaced = slugs & incremental.served_slugs(served)
        continued = incremental.can_continue(served) and not replaced and (not decided or reviewchange.can_apply(served))
        if not continued:
            say("every stage is re-derived from the kept documents: " + (
                "an added document replaces one of the same name" if replaced else
                CANNOT_CONTINUE))
        if continued:
            def by_the_change() -> list[str]:
                def stage(name: str):
                    return _stage(report, say, name)
                added_lines = incremental.add(paths, served, added, report, stage)
                if decided:
                    reviewchange.after_add(paths, served, report, stage, [doc for doc, _ in added])
                    incremental.forget_dumps_change(paths)
                return added_lines
            lines = _changed_in_place(paths, report, started, by_the_change)
        else:
            kept = kept_documents(served)
            others = kept.without(slugs)
            _report_kept(report, others)
            _derive_and_write(paths, chain(others, added), report, say, started, reused=served)
            known = {t for other, _ in others for t in fact_triples(other)}   # the kept documents read once
            known_entities = _entities(list(known))
            lines = [_what_it_added(doc, known, known_entities, replaced=doc.slug in kept.slugs) for doc, _ in added]
    if continued:
        incremental.write_dumps_later(paths)
    return report, lines


def remove(slug: str, data_dir: Path, *, progress: Progress | None = None) -> BuildReport:
    """Remove one document from the served build, reading no other again, and publish as `build` does."""
    def others(kept: KeptDocuments) -> KeptDocuments:
        rest = kept.without([slug])
        if len(rest) == len(kept):
            listed = ", ".join(sorted(kept.slugs)[:10])
            raise BuildError(f"no document {slug!r} in the served graph (it has {len(kept)}: {listed}"
                             f"{', ...' if len(kept) > 10 else ''})")
        if not rest:
            raise BuildError(f"{slug!r} is the graph's only document: a graph needs one (add another first)")
        return rest
    return _rederive_served(data_dir, progress, others)


def apply_review(data_dir: Path, *, progress: Progress | None = None) -> BuildReport:
    """The served build with the reviewers' decisions as they now are, reading no document again, and
    published as `build` does: changed by the decisions' difference (graph/reviewchange.py) when its kept
    state can be continued, else every stage after loading re-derived from the kept documents."""
    data_dir = Path(data_dir).resolve()
    say = progress or (lambda _m: None)
    report = BuildReport(data_dir=str(data_dir))
    with stores.new_build(data_dir) as paths:
        started = time.perf_counter()
        served = _served_build(data_dir)
        continued = reviewchange.can_apply(served)
        if not continued:
            say("every stage is re-derived from the kept documents: " + CANNOT_CONTINUE)
            _rederive_into(paths, served, lambda kept: kept, report, say, started)
            return report
        _changed_in_place(paths, report, started,
                          lambda: reviewchange.apply(paths, served, report, lambda name: _stage(report, say, name)))
    incremental.write_dumps_later(paths)
    return report


def _changed_in_place(paths: stores.BuildPaths, report: BuildReport, started: float, change: Callable[[], T]) -> T:
    """`change` of the served build's copy in `paths` (graph/incremental.py, graph/reviewchange.py), then
    its report written beside the store; a failed write is one line and the served build is unchanged."""
    try:
        result = change()
        report.seconds_total = round(time.perf_counter() - started, 3)
        paths.report.write_text(report.to_json(), encoding="utf-8")
        return result
    except OSError as exc:
        raise BuildError(_write_problem(paths.root, exc)) from None


def _rederive_served(data_dir: Path, progress: Progress | None,
                     choose: Callable[[KeptDocuments], KeptDocuments]) -> BuildReport:
    """A new build from the served build's kept documents that `choose` keeps: no document is read again."""
    data_dir = Path(data_dir).resolve()
    say = progress or (lambda _m: None)
    report = BuildReport(data_dir=str(data_dir))
    with stores.new_build(data_dir) as paths:
        _rederive_into(paths, _served_build(data_dir), choose, report, say, time.perf_counter())
    return report


def _rederive_into(paths: stores.BuildPaths, served: stores.BuildPaths, choose: Callable[[KeptDocuments], KeptDocuments],
                   report: BuildReport, say: Progress, started: float) -> None:
    with _stage(report, say, "load"):
        kept = choose(kept_documents(served))
    _report_kept(report, kept)
    _derive_and_write(paths, kept, report, say, started, reused=served)


def _has_decisions(data_dir: Path) -> bool:
    from .review import decisions_path

    path = decisions_path(data_dir)
    return path.is_file() and path.stat().st_size > 0


def _served_build(data_dir: Path) -> stores.BuildPaths:
    served = stores.current_build(data_dir)
    if served is None:
        raise BuildError(f"no graph in {data_dir} to change: run `r2pkg build --data-dir {data_dir}` first")
    return served


def _added_source(path: Path) -> SourceDocument:
    """The document a file named on the command line is: with its manifest entry when its folder lists it."""
    folder = path.parent
    manifest = folder / MANIFEST
    if manifest.is_file():
        listed = [s for s in _manifest_sources(folder, manifest) if s.refusal is None and s.path.name == path.name]
        if listed:
            return listed[0]
    return _source(folder, path)


def _check_unique_slugs(sources: list[SourceDocument]) -> None:
    slugs = Counter(s.slug for s in sources if s.refusal is None)
    clashes = sorted(s for s, n in slugs.items() if n > 1)
    if clashes:
        raise BuildError(f"two documents would share the IRI slug {clashes[0]!r}; rename one of them")


def _report_kept(report: BuildReport, docs: Iterable[tuple[LoadedDocument, SourceDocument]]) -> None:
    """The documents not read again, listed first in the report as a full build lists them."""
    report.documents[:0] = [{"slug": d.slug, "path": str(s.path), "facts": len(d.facts), "mentions": len(d.mentions)}
                            for d, s in docs]


def _what_it_added(doc: LoadedDocument, known: set, known_entities: set, replaced: bool) -> str:
    """One line: the document's facts, those no other document states (`known`: the other documents' facts),
    and the entities new to the graph."""
    facts = set(fact_triples(doc))
    new_entities = _entities(list(facts)) - known_entities
    kinds = Counter(str(o).rsplit("#", 1)[-1] for s, p, o in facts if p == RDF.type and s in new_entities)
    shown = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common(6))
    verb = "replaced" if replaced else "added"
    return (f"{doc.slug} {verb}: {len(facts)} facts, {len(facts - known)} not stated by another document; "
            f"{len(new_entities)} entities new to the graph" + (f" ({shown})" if shown else ""))


def _build_into(paths: stores.BuildPaths, corpus_dirs: Iterable[Path], report: BuildReport, say: Progress) -> None:
    """Every stage, writing the store, the dumps and the report into the build directory."""
    started = time.perf_counter()
    with _stage(report, say, "load"):
        sources = discover(corpus_dirs)
        docs = _load_all(sources, report, say, keep=paths)
    if not docs:
        raise BuildError("no document could be loaded: " + ("; ".join(report.errors) or "the corpus is empty"))
    _derive_and_write(paths, docs, report, say, started)


@contextmanager
def _stage(report: BuildReport, say: Progress, name: str) -> Iterator[None]:
    """A timed stage of the build, announced and entered in the report."""
    say(f"[{name}] ...")
    t0 = time.perf_counter()
    yield
    seconds = time.perf_counter() - t0
    report.seconds_per_stage[name] = round(report.seconds_per_stage.get(name, 0) + seconds, 3)   # a stage in parts adds up
    say(f"[{name}] done in {seconds:.2f} s")


def _derive_and_write(paths: stores.BuildPaths, docs: Iterable[tuple[LoadedDocument, SourceDocument]],
                      report: BuildReport, say: Progress, started: float,
                      reused: stores.BuildPaths | None = None) -> None:
    """Every stage after loading: the documents kept (files and loaded form), facts, inference, SHACL,
    store, dumps and report. `reused`: the build whose kept documents those not read again come from.

    From here on the documents are read back from the build's own kept copies, one at a time, each time
    a stage needs them (KeptDocuments): the facts and the corpus graph in one pass, the evidence graphs
    as they are written, and with reviewers' decisions, one more pass for them."""
    def stage(name: str):
        return _stage(report, say, name)

    try:
        with stage("keep"):
            docs = _keep_documents(docs, paths, reused)
    except OSError as exc:
        raise BuildError(_write_problem(paths.root, exc)) from None

    with stage("facts"):
        doc_facts, corpus = _facts_and_corpus(docs)
        reviewed = _apply_review(paths, docs, doc_facts, report)
        doc_facts = reviewed.doc_facts
        facts = [t for ts in doc_facts.values() for t in ts] + reviewed.curated
        entities = _entities(facts)
        reference = list(reference_facts(entities)) + list(rule_triples())
        ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
        external, report.unlinked_entities = _external(entities)

    with stage("inference"):
        from .reasoning import Reasoner, ox_triples

        reasoner = Reasoner(ontology)          # the ontology compiled once for both calls
        paths.incremental.mkdir()
        closure = incremental.closure_path(paths.incremental)
        # The facts stream through the reasoner (only what its join rules read is held), and the inferences
        # come back as N-Triples text, not as rdflib triples. Checked in the closure kept on disk: a second
        # store of facts and inferences in memory is not made.
        inferred = reasoner.infer_lines(ox_triples(chain(facts, reference)), keep=closure)
        report.consistency = reasoner.check_store(ox.Store.read_only(str(closure)))
        del reasoner

    derived = {INFERRED_GRAPH: inferred, GAZETTEER_GRAPH: _ntriples(reference),
               CORPUS_GRAPH: _ntriples(corpus)}
    schema = {ONTOLOGY_GRAPH: _ntriples(ontology)}
    schema |= {g: lines for g, lines in reviewed.records.items() if lines}   # decisions: not validated as facts
    if external:
        from .external import EXTERNAL_GRAPH
        schema[EXTERNAL_GRAPH] = _ntriples(external)
    asserted = {iris.document_graph(s): _ntriples(ts) for s, ts in doc_facts.items()}   # their evidence: later
    asserted |= {g: lines for g, lines in reviewed.graphs.items() if lines}
    report.asserted_triples = len(set(facts))
    report.reference_triples = len(reference)
    report.external_triples = len(external)
    report.inferred_triples = len(inferred)
    del facts, inferred, corpus, external
    doc_facts.clear()    # as text in `asserted` now (the same dict as reviewed.doc_facts)

    try:
        findings = stores.write_store(paths.store, lambda store: _write_and_validate(
            store, paths, asserted, _asserted_graphs(docs, asserted, reviewed.removed, report), derived, schema,
            report, stage))
        incremental.keep_state(paths.incremental, entities, findings, reviewed.stated_by)
        report.seconds_total = round(time.perf_counter() - started, 3)
        paths.report.write_text(report.to_json(), encoding="utf-8")   # beside the store, before it is published
    except OSError as exc:
        raise BuildError(_write_problem(paths.root, exc)) from None


def _facts_and_corpus(docs: KeptDocuments) -> tuple[dict[str, list], list]:
    """Each document's facts (slug -> rdflib triples) and the corpus graph's triples, in one reading of the
    kept documents."""
    doc_facts: dict[str, list] = {}
    corpus: list = []
    for doc, source in docs:
        doc_facts[doc.slug] = list(fact_triples(doc))
        corpus += _corpus_triples([(doc, source)])
    return doc_facts, corpus


def _apply_review(paths: stores.BuildPaths, docs: KeptDocuments,
                  doc_facts: dict[str, list], report: BuildReport) -> review.Applied:
    """The reviewers' standing decisions (DATA_DIR/review) applied to the documents' facts, entered in
    the report; graph/review.py says what each decision does. The documents are read again for that (their
    texts, rules and evidence: the sentences of a corrected fact) only when there are decisions."""
    data_dir = paths.root.parents[1]        # DATA_DIR/builds/<stamp>
    if not _has_decisions(data_dir):
        # Nothing to apply: no key is made of each fact (3,000 summaries: 0.4 GB of them at the facts' peak).
        applied = review.apply_decisions([], [], set(), {}, {})
        applied.doc_facts.update(doc_facts)
    else:
        evidence = (line for doc, _ in docs for line in evidence_ntriples(doc))
        applied = review.apply(data_dir, doc_facts, {d.slug: d.text for d, _ in docs}, evidence, (d for d, _ in docs))
    report.review = applied.summary()
    if applied.counts:
        report.review["precision"] = review.precision_by(
            review.read_decisions(review.decisions_path(data_dir))[0], applied.rules)
    return applied


def _write_problem(root: Path, exc: OSError) -> str:
    """One line on a failed write (a full disk above all); the build directory is removed after it."""
    where = f" ({Path(exc.filename).name})" if exc.filename else ""
    reason = exc.strerror or str(exc) or type(exc).__name__
    hint = "; free some space and build again" if _disk_full(exc) else ""
    return f"cannot write the new build in {root}{where}: {reason}{hint} (the served graph is unchanged)"


# Documents whose graphs go to the store in one bulk load: at most about this many statements (some
# 35 MB of N-Quads), so that memory does not grow with the corpus, and few enough loads that RocksDB
# is not handed thousands of tiny files (1,000 summaries: about 40 loads). A part is loaded while the
# next is made and checked, so two parts' worth of memory are held at once. At 10,000 summaries the
# build's peak is reached in these parts, some 0.7 GB above what it holds before them, but not because
# of their size: 2,901 MB with parts of 200,000 statements, 2,919 MB with these.
BATCH_STATEMENTS = 150_000
PART_BYTES = 48 << 20   # files go to the store in parts of this size, some 200,000 statements (_bulk_load_in_parts)


def _asserted_graphs(docs: list[tuple[LoadedDocument, SourceDocument]], facts: Graphs, removed: set,
                     report: BuildReport) -> Iterator[Graphs]:
    """The asserted graphs, a batch of documents at a time: the `facts` (the documents' graphs, then
    the reviewers' curated graphs), each document's with its evidence graph, made here. Evidence is
    80% of a build's quads: it is written out as it is made, never held for the whole corpus. Counts
    the evidence triples into the report; `removed`: the facts whose evidence the reviewers removed."""
    batch: Graphs = {}
    size = 0
    report.evidence_triples = 0
    written = set()
    for doc, _ in docs:
        evidence = without_evidence_of(evidence_ntriples(doc), removed)
        report.evidence_triples += len(evidence)
        graph = iris.document_graph(doc.slug)
        batch[graph] = facts[graph]
        batch[iris.evidence_graph(doc.slug)] = evidence
        written.add(graph)
        size += len(evidence) + len(facts[graph])
        if size >= BATCH_STATEMENTS:
            yield batch
            batch, size = {}, 0
    yield batch | {g: lines for g, lines in facts.items() if g not in written}


def _write_and_validate(store: ox.Store, paths: stores.BuildPaths, facts: Graphs, asserted: Iterable[Graphs],
                        derived: Graphs, schema: Graphs, report: BuildReport, stage: Callable) -> list:
    """The on-disk store written graph by graph, with the evidence's part of the merged default graph,
    SHACL checked on it in the two steps of graph/validate.Validator (the document and evidence graphs,
    then with the inferred and reference graphs too), then the schema graphs and the rest of the merged
    default graph; the dumps written meanwhile from the N-Quads and N-Triples dumps written first.
    Fills the report's quads, entities, SHACL entry and dumps' seconds; returns the findings as
    `r2pkg add` keeps them (graph/incremental.py).

    No in-memory copy of the graph: SHACL and the counts read the store, the dumps their files, so
    memory stays flat whatever the corpus size."""
    from .validate import Validator, unevidenced_subjects

    validator = Validator()
    validator.begin_parts(derived)      # the subject-local shapes are checked part by part, in memory
    unevidenced: set[str] = set()       # found part by part: the evidence shape is queried only if any
    with _GraphWriter(paths.dumps, [facts, derived, schema], paths.root / ".merged.nt") as writer, \
            ThreadPoolExecutor(1) as beside:
        with stage("store"):
            # Each part is bulk-loaded on the other thread while this one checks it and makes the next
            # (the loader does not hold the GIL); its text is made once the load before it is done, so
            # that one part's text is held at a time (at 10,000 summaries the peak is in these parts).
            loading = None
            for graphs in asserted:
                if loading is not None:
                    loading.result()
                texts = writer.write(graphs)
                loading = beside.submit(_load_part, store, *texts)
                del texts
                unevidenced |= unevidenced_subjects(graphs)
                validator.check_part(graphs)
            if loading is not None:
                loading.result()
            # In the store after SHACL (derived between), set aside in files meanwhile, not held as text.
            later = [_set_aside(writer, derived, paths.root / ".derived.nq"),
                     _set_aside(writer, schema, paths.root / ".schema.nq")]
            writer.finish()
            for graphs in (facts, derived, schema):
                graphs.clear()     # all written: their text is let go
        # The dumps from their files, on the other core while SHACL reads the store (both take a core:
        # on 2 cores, one after the other took a third longer).
        dumps = beside.submit(_timed, _write_dataset_dumps, paths.dumps)
        with stage("shacl"):
            validator.check_facts_and_evidence(store, unevidenced=unevidenced)
        evidence_found = len(validator.results)
        with stage("store"):
            _load_set_aside(store, later[0])
        with stage("shacl"):
            validator.check_everything(store)
        with stage("store"):
            _load_set_aside(store, later[1])
            writer.load_default_graph(store)
            report.total_quads = writer.quads             # the named graphs' (tests: as the store counts them)
            report.entities_per_class = count_entities(store)      # of the merge: complete now
        report.seconds_per_stage["dumps"] = dumps.result()
    result = validator.result()
    report.shacl = {"conforms": result.conforms, "violations": result.violations, "warnings": result.warnings,
                    "messages": list(result.messages)}
    return incremental.findings_of(validator.results, evidence_found)


def _load_part(store: ox.Store, named: str, merged: str) -> None:
    """A part's named graphs, then its statements of the merged default graph (leniently: the same
    statements were just read strictly), each a load of its own: the bulk loader holds what it is given."""
    store.bulk_load(named, ox.RdfFormat.N_QUADS)
    store.bulk_load(merged, ox.RdfFormat.N_TRIPLES, lenient=True)


def _set_aside(writer: "_GraphWriter", graphs: Graphs, path: Path) -> Path:
    """The graphs written (to the dumps as well) and set aside in a file for a bulk load after a SHACL step,
    each graph's distinct statements a part of BATCH_STATEMENTS at a time: at 10,000 summaries, making the
    derived graphs (1.6M statements) into one N-Quads text held alongside raised the peak by 1.0 GB."""
    with open(path, "w", encoding="utf-8") as out:
        for graph, lines in graphs.items():
            for batch in _in_batches(list(dict.fromkeys(lines))):
                out.write(writer.write({graph: batch})[0])   # no evidence: nothing of the merge to load
    return path


def _in_batches(lines: list[str]) -> Iterator[list[str]]:
    """`lines` BATCH_STATEMENTS at a time."""
    for start in range(0, len(lines), BATCH_STATEMENTS):
        yield lines[start:start + BATCH_STATEMENTS]


def _load_set_aside(store: ox.Store, path: Path) -> None:
    """What `_set_aside` wrote, into the store in parts; the file removed after. Loaded at once, the derived
    graphs of 10,000 summaries raised the peak by 0.9 GB more (the bulk loader holds what it is given)."""
    with open(path, "rb") as text:
        _bulk_load_in_parts(store, text, ox.RdfFormat.N_QUADS, lenient=False)
    path.unlink()


def _bulk_load_in_parts(store: ox.Store, source: IO[bytes], format: ox.RdfFormat, *, lenient: bool) -> None:
    """A file into the store a part of about PART_BYTES at a time, each cut at a line end (line-based formats
    only): the bulk loader holds what it is given in memory. The statements with a blank node are all loaded
    together, last: each load names the blank nodes it reads anew, so `_:b` in two loads would be two nodes
    (the ontology's class expressions are made of them)."""
    blank: list[bytes] = []
    for part in line_blocks(source, PART_BYTES):
        store.bulk_load(_set_blank_aside(part, blank), format, lenient=lenient)
    store.bulk_load(b"".join(blank), format, lenient=lenient)


def _set_blank_aside(part: bytes, blank: list[bytes]) -> bytes:
    """The part without its lines that may name a blank node, which go to `blank`."""
    if b"_:" not in part:
        return part
    lines = part.splitlines(keepends=True)
    blank += [line for line in lines if b"_:" in line]
    return b"".join(line for line in lines if b"_:" not in line)


def _timed(work: Callable, *args) -> float:
    t0 = time.perf_counter()
    work(*args)
    return round(time.perf_counter() - t0, 3)


_DOCUMENT_NODES = f"<{iris.document('')}"    # the IRIs of a document and of its evidence, sentences, mentions


class _GraphWriter:
    """Named graphs as N-Quads text for the store's bulk loader, a part at a time, also written to the
    N-Quads dump; their merge, each distinct triple once, to the N-Triples dump and to the store's
    default graph. Both dumps are written gzipped (graph/dumps.py).

    The merge is made without holding the evidence: an evidence graph holds only the nodes of its own
    document (its evidence, sentence and mention IRIs are under the document's IRI), so its
    statements are in no other document's evidence graph, and are merged as they come (in the same
    part as their named graph: no second reading of four fifths of the quads) unless another kind of
    graph states them too (the curated evidence of a reviewer quotes a document's sentence): only
    those statements of the other graphs, about a document's nodes, are held to look that up. The
    statements of all other graphs (`others`, a tenth of the quads) are merged last, and loaded into
    the store after SHACL (they include the schema graphs, which SHACL does not read).

    While the default graph holds only evidence, a query of the union of all graphs reads the same set
    of statements as one of the named graphs (SHACL's: DISTINCT), but not the same multiset."""

    def __init__(self, folder: Path, others: Iterable[Graphs], aside: Path):
        self.files = ExitStack()
        self.nquads = self.files.enter_context(dumps.writing_text(folder, "graph.nq"))
        self.default = self.files.enter_context(dumps.writing_text(folder, "graph.nt"))
        self.others = others
        # 10,000 summaries: 4.8M statements in the other graphs, a few thousand about documents' nodes.
        self.shared = {line for line in self._other_statements() if line.startswith(_DOCUMENT_NODES)}
        self.aside = aside
        self.quads = 0          # the named graphs' statements written, each graph's distinct ones

    def __enter__(self) -> "_GraphWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.files.__exit__(*exc)

    def write(self, graphs: Graphs) -> tuple[str, str]:
        """Each graph's distinct statements (a document may state one twice) as N-Quads text, and the
        evidence's statements of the merge as N-Triples."""
        graphs = {g: dict.fromkeys(lines) for g, lines in graphs.items()}
        self.quads += sum(map(len, graphs.values()))
        text = _nquads(graphs)
        self.nquads.write(text)
        merged = "".join(f"{line} .\n" for graph, lines in graphs.items()
                         if str(graph).startswith(EVIDENCE_GRAPH_PREFIX) for line in lines if line not in self.shared)
        self.default.write(merged)
        return text, merged

    def _other_statements(self) -> Iterator[str]:
        """Every statement of the other graphs, in their order (some twice)."""
        return (line for graphs in self.others for lines in graphs.values() for line in lines)

    def finish(self) -> None:
        """Both dumps complete: the other graphs' statements end the merge, and are set aside for
        `load_default_graph`, a part of BATCH_STATEMENTS at a time."""
        lines = list(dict.fromkeys(self._other_statements()))
        self.shared = set()
        with open(self.aside, "w", encoding="utf-8") as aside:
            for batch in _in_batches(lines):
                text = "".join(f"{line} .\n" for line in batch)
                self.default.write(text)
                aside.write(text)
        self.files.close()

    def load_default_graph(self, store: ox.Store) -> None:
        """The rest of the merge (what `finish` set aside) into the store, in parts (the bulk loader holds
        a part in memory, and one of millions of statements took 1.6 GB); leniently: the same statements
        were checked as named graphs."""
        with open(self.aside, "rb") as rest:
            _bulk_load_in_parts(store, rest, ox.RdfFormat.N_TRIPLES, lenient=True)
        self.aside.unlink()


def _write_dataset_dumps(folder: Path) -> None:
    """The other dumps, from graph.nq and graph.nt (written with the store): reading the store back
    is several times slower than parsing them (1,000 summaries: N-Triples of its default graph in 18 s
    against 5 s)."""
    prefixes = serialization_prefixes()
    for name, write in from_nquads(folder, prefixes):
        with dumps.writing(folder, name) as out:
            write(out)
    with dumps.writing(folder, "graph.ttl") as out:
        ox.serialize(dumps.parsed(folder, "graph.nt"), out, ox.RdfFormat.TURTLE, prefixes=prefixes)


def _disk_full(exc: OSError) -> bool:
    """ENOSPC, also as pyoxigraph reports it: no errno, "No space left on device (os error 28)"."""
    return exc.errno == errno.ENOSPC or f"(os error {errno.ENOSPC})" in str(exc)


def discover(corpus_dirs: Iterable[Path]) -> list[SourceDocument]:
    """Documents of each folder: those its manifest lists (with their metadata), else every text file.

    A document is read only if it resolves (symlinks followed) inside its corpus folder; any other,
    and a manifest entry that names no usable file, is refused in one line and the others still
    build. A manifest that is not a list of entries fails the build.
    """
    found: list[SourceDocument] = []
    for folder in corpus_dirs:
        folder = Path(folder)
        if not folder.is_dir():
            raise BuildError(f"{folder}: not a folder of documents")
        manifest = folder / MANIFEST
        found += _manifest_sources(folder, manifest) if manifest.is_file() else _folder_sources(folder)
    slugs = Counter(s.slug for s in found if s.refusal is None)
    clashes = sorted(s for s, n in slugs.items() if n > 1)
    if clashes:
        raise BuildError(f"two documents would share the IRI slug {clashes[0]!r}; rename one of them")
    return found


def _folder_sources(folder: Path) -> list[SourceDocument]:
    return [_source(folder, p) for p in sorted(folder.iterdir())
            if p.suffix.lower() in DOCUMENT_SUFFIXES and p.is_file()]


def _manifest_sources(folder: Path, manifest: Path) -> list[SourceDocument]:
    return [_entry_source(folder, manifest, n, entry) for n, entry in enumerate(_manifest_entries(manifest), 1)]


def _manifest_entries(manifest: Path) -> list:
    """The manifest's `documents` list; anything else fails the build in one line."""
    try:
        documents = json.loads(manifest.read_text(encoding="utf-8"))["documents"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BuildError(f"{manifest}: not a manifest with a 'documents' list ({exc})") from None
    if not isinstance(documents, list):
        raise BuildError(f"{manifest}: 'documents' must be a list of entries, not {_json_kind(documents)}")
    return documents


def _entry_source(folder: Path, manifest: Path, n: int, entry: object) -> SourceDocument:
    """The document a manifest entry lists, or the entry refused (naming the manifest and entry)."""
    def refused(problem: str) -> SourceDocument:
        return SourceDocument(manifest, "", refusal=f"entry {n}: {problem}")

    if not isinstance(entry, dict):
        return refused(f"not an object with a 'file' but {_json_kind(entry)}")
    name = entry.get("file")
    if name is None:
        return refused("no 'file' name")
    if not isinstance(name, str) or not name.strip() or "\x00" in name:
        return refused(f"'file' must be a file name, not {_json_kind(name) if not isinstance(name, str) else repr(name)}")
    problem = _metadata_problem(entry)
    if problem:
        return refused(f"{name!r}: {problem}")
    return _source(folder, folder / name, entry)


def _metadata_problem(entry: dict) -> str | None:
    """What makes an entry's metadata unusable in the graph, if anything."""
    for key in ("title", "publisher", "language", "format"):
        if key in entry and entry[key] is not None and not isinstance(entry[key], str):
            return f"'{key}' must be text, not {_json_kind(entry[key])}"
    if entry.get("publisher") and not _sluggable(entry["publisher"]):
        return f"the publisher {entry['publisher']!r} has no letters or digits to make an IRI of"
    return None


def _source(folder: Path, path: Path, metadata: dict | None = None) -> SourceDocument:
    """A document to read, or refused: outside the corpus folder once resolved, or unsluggable."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):   # a symlink loop (RuntimeError before Python 3.13)
        return SourceDocument(path, "", refusal="a symlink loop, or a path that cannot be resolved")
    if not real.is_relative_to(folder.resolve()):
        return SourceDocument(path, "", refusal="outside the corpus folder (a path or symlink leading out of it); "
                                                "only files inside the folder are read")
    if not _sluggable(path.stem):
        return SourceDocument(path, "", refusal="the file name has no letters or digits to make an IRI of; rename it")
    return SourceDocument(path, _slug(path), metadata or {}, real=real)


def _json_kind(value: object) -> str:
    """How JSON calls the value's type, for messages about a manifest."""
    names = {type(None): "null", bool: "true/false", int: "a number", float: "a number", str: "text",
             list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _slug(path: Path) -> str:
    return iris.slugify(path.stem)


def _load_all(sources: list[SourceDocument], report: BuildReport, say: Progress,
              keep: stores.BuildPaths | None = None) -> list[tuple[LoadedDocument, SourceDocument]] | KeptDocuments:
    """The documents that load, in order; each one that does not is reported in one line. With `keep`,
    each is kept in that build as it is loaded (graph/buildparts.keep_document) and not held: the result
    reads them back from there (the loaded form of 10,000 summaries would take some 4 GB)."""
    loaded = []
    for n, (source, outcome) in enumerate(zip(sources, _load_outcomes(sources)), 1):
        if isinstance(outcome, DocumentError):
            report.errors.append(str(outcome))
            say(f"  skipped {outcome}")
            continue
        loaded.append(outcome.slug if keep else (outcome, source))
        if keep:
            _keep_loaded(outcome, source, keep)
        report.documents.append({"slug": outcome.slug, "path": str(source.path), "facts": len(outcome.facts),
                                 "mentions": len(outcome.mentions)})
        say(f"  [{n}/{len(sources)}] {source.path.name}: {len(outcome.facts)} facts")
    return KeptDocuments(keep, loaded) if keep else loaded


def _keep_loaded(doc: LoadedDocument, source: SourceDocument, paths: stores.BuildPaths) -> None:
    try:
        keep_document(doc, source, paths)
    except OSError as exc:
        raise BuildError(_write_problem(paths.root, exc)) from None


def _load_outcomes(sources: list[SourceDocument]) -> Iterator[LoadedDocument | DocumentError]:
    """Each source's document or DocumentError, in order, as each is loaded: a refused or missing file is
    refused first (never read); the others load in worker processes for a large corpus (see
    PARALLEL_LOAD_MIN), else here."""
    refused: dict[int, DocumentError] = {
        i: DocumentError(s.path, s.refusal or "no such file") for i, s in enumerate(sources)
        if s.refusal or not s.real.is_file()}
    present = [i for i in range(len(sources)) if i not in refused]
    workers = None if len(present) >= PARALLEL_LOAD_MIN else 1
    results = each_document([(sources[i].real, sources[i].slug) for i in present], workers=workers)
    for i in range(len(sources)):
        yield refused[i] if i in refused else next(results)
























