"""`r2pkg build`: documents -> facts with evidence -> inference -> SHACL -> store -> dumps -> report.

Everything is computed before the new store is published; a failure at any stage leaves the
store being served untouched (see graph/store.py).
"""
from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from r2pkg.loaders import load_document, reference_facts
from r2pkg.loaders.model import DocumentError, LoadedDocument

from . import iris, store as stores
from .evidence import evidence_triples, fact_triples
from .stats import count_entities
from .resources import ONTOLOGY_FILE
from .vocab import (CORPUS_GRAPH, GAZETTEER_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, R2P,
                    serialization_prefixes)

DOCUMENT_SUFFIXES = (".txt", ".html", ".htm")
MANIFEST = "manifest.json"
DUMP_FORMATS = {
    "graph.trig": ox.RdfFormat.TRIG,
    "graph.nq": ox.RdfFormat.N_QUADS,
    "graph.jsonld": ox.RdfFormat.JSON_LD,
    "graph.ttl": ox.RdfFormat.TURTLE,
    "graph.nt": ox.RdfFormat.N_TRIPLES,
}
SINGLE_GRAPH_FORMATS = {ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES}

Triple = tuple


class BuildError(RuntimeError):
    """The build cannot produce a graph (no corpus folder, no loadable document)."""


@dataclass
class SourceDocument:
    path: Path
    slug: str
    metadata: dict = field(default_factory=dict)


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
        lines.append("Seconds per stage:")
        lines += [f"  {stage:<12} {secs:7.2f}" for stage, secs in self.seconds_per_stage.items()]
        lines.append(f"Total: {self.seconds_total:.2f} s")
        return "\n".join(lines)


Progress = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(corpus_dirs: Iterable[Path], data_dir: Path, *, progress: Progress | None = None) -> BuildReport:
    """Build the graph of every document in the folders and publish it under data_dir."""
    say = progress or (lambda _m: None)
    data_dir = Path(data_dir).resolve()
    report = BuildReport(data_dir=str(data_dir))
    started = time.perf_counter()

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        say(f"[{name}] ...")
        t0 = time.perf_counter()
        yield
        report.seconds_per_stage[name] = round(time.perf_counter() - t0, 3)
        say(f"[{name}] done in {report.seconds_per_stage[name]:.2f} s")

    with stage("load"):
        sources = discover(corpus_dirs)
        docs = _load_all(sources, report, say)
    if not docs:
        raise BuildError("no document could be loaded: " + ("; ".join(report.errors) or "the corpus is empty"))

    with stage("facts"):
        doc_facts = {d.slug: list(fact_triples(d)) for d, _ in docs}
        doc_evidence = {d.slug: list(evidence_triples(d)) for d, _ in docs}
        facts = [t for ts in doc_facts.values() for t in ts]
        entities = _entities(facts)
        reference = list(reference_facts(entities))
        corpus = list(_corpus_triples(docs))
        ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
        external, report.unlinked_entities = _external(entities)

    with stage("inference"):
        from .reasoning import check_consistency, infer

        reasoned_input = facts + reference
        inferred = sorted(infer(reasoned_input, ontology))
        report.consistency = list(check_consistency(reasoned_input + inferred, ontology))

    with stage("shacl"):
        from .validate import validate

        result = validate(facts, [t for ts in doc_evidence.values() for t in ts], inferred,
                          reference=reference + corpus)
        report.shacl = {"conforms": result.conforms, "violations": result.violations,
                        "warnings": result.warnings, "messages": list(result.messages)}

    graphs: dict[URIRef, list[Triple]] = {
        ONTOLOGY_GRAPH: list(ontology), CORPUS_GRAPH: corpus, GAZETTEER_GRAPH: reference,
        INFERRED_GRAPH: inferred,
    }
    if external:
        from .external import EXTERNAL_GRAPH
        graphs[EXTERNAL_GRAPH] = external
    for slug in doc_facts:
        graphs[iris.document_graph(slug)] = doc_facts[slug]
        graphs[iris.evidence_graph(slug)] = doc_evidence[slug]
    report.asserted_triples = len(set(facts))
    report.evidence_triples = sum(len(ts) for ts in doc_evidence.values())
    report.reference_triples = len(reference)
    report.external_triples = len(external)
    report.inferred_triples = len(inferred)

    with stage("store"), stores.new_build(data_dir) as paths:
        report.total_quads, report.entities_per_class = stores.write_store(
            paths.store, lambda store: _fill(store, graphs))
        t0 = time.perf_counter()
        write_dumps(paths.store, paths.dumps)
        report.seconds_per_stage["dumps"] = round(time.perf_counter() - t0, 3)
    report.seconds_total = round(time.perf_counter() - started, 3)
    paths.report.write_text(report.to_json(), encoding="utf-8")   # beside the published store
    return report


def _fill(store: ox.Store, graphs: dict[URIRef, list[Triple]]) -> tuple[int, dict[str, int]]:
    """Named graphs, then their merge as the default graph; returns the named graphs' quads."""
    for graph, triples in graphs.items():
        stores.add_triples(store, graph, triples)
    quads = len(store)
    stores.add_merged_default_graph(store)
    return quads, count_entities(store)


def discover(corpus_dirs: Iterable[Path]) -> list[SourceDocument]:
    """Documents of each folder: those its manifest lists (with their metadata), else every text file."""
    found: list[SourceDocument] = []
    for folder in corpus_dirs:
        folder = Path(folder)
        if not folder.is_dir():
            raise BuildError(f"{folder}: not a folder of documents")
        manifest = folder / MANIFEST
        if manifest.is_file():
            try:
                entries = json.loads(manifest.read_text(encoding="utf-8"))["documents"]
            except (ValueError, KeyError, TypeError) as exc:
                raise BuildError(f"{manifest}: not a manifest with a 'documents' list ({exc})") from exc
            found += [SourceDocument(folder / e["file"], _slug(folder / e["file"]), e) for e in entries]
        else:
            found += [SourceDocument(p, _slug(p)) for p in sorted(folder.iterdir())
                      if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES]
    slugs = Counter(s.slug for s in found)
    clashes = sorted(s for s, n in slugs.items() if n > 1)
    if clashes:
        raise BuildError(f"two documents would share the IRI slug {clashes[0]!r}; rename one of them")
    return found


def _slug(path: Path) -> str:
    return iris.slugify(path.stem)


def _load_all(sources: list[SourceDocument], report: BuildReport,
              say: Progress) -> list[tuple[LoadedDocument, SourceDocument]]:
    loaded = []
    for n, source in enumerate(sources, 1):
        try:
            if not source.path.is_file():
                raise DocumentError(source.path, "no such file")
            doc = load_document(source.path, source.slug)
        except DocumentError as exc:
            report.errors.append(str(exc))
            say(f"  skipped {exc}")
            continue
        loaded.append((doc, source))
        report.documents.append({"slug": doc.slug, "path": str(source.path), "facts": len(doc.facts),
                                 "mentions": len(doc.mentions)})
        say(f"  [{n}/{len(sources)}] {source.path.name}: {len(doc.facts)} facts")
    return loaded


def _entities(facts: list[Triple]) -> set[URIRef]:
    return {t for s, _p, o in facts for t in (s, o) if isinstance(t, URIRef)}


def _corpus_triples(docs: list[tuple[LoadedDocument, SourceDocument]]) -> Iterator[Triple]:
    """Document metadata: from the manifest where it has some, from the text otherwise."""
    for doc, source in docs:
        node = iris.document(doc.slug)
        meta = source.metadata
        yield node, RDF.type, R2P.Document
        title = meta.get("title") or doc.title
        yield node, DCTERMS.title, Literal(title)
        yield node, SKOS.prefLabel, Literal(title)
        yield node, DCTERMS.source, Literal(source.path.name)
        yield node, DCTERMS.format, Literal(meta.get("format", "text/plain"))
        yield node, R2P.text, Literal(doc.text)
        if meta.get("language"):
            yield node, DCTERMS.language, Literal(meta["language"])
        if meta.get("year"):
            yield node, DCTERMS.issued, Literal(str(meta["year"]), datatype=XSD.gYear)
        if meta.get("publisher"):
            publisher = iris.entity("org", iris.slugify(meta["publisher"]))
            yield node, DCTERMS.publisher, publisher
        for graph in (iris.document_graph(doc.slug), iris.evidence_graph(doc.slug)):
            yield graph, PROV.wasDerivedFrom, node


def _external(entities: set[URIRef]) -> tuple[list[Triple], int | None]:
    """Links to open datasets, when the curated link tables are installed."""
    try:
        from .external import external_triples, unlinked
    except ImportError:
        return [], None
    return list(external_triples(entities)), len(unlinked(entities))


def write_dumps(store_path: Path, folder: Path) -> None:
    """TriG, N-Quads and JSON-LD hold the named graphs; Turtle and N-Triples their merge (the
    store's default graph)."""
    folder.mkdir(parents=True, exist_ok=True)
    store = ox.Store.read_only(str(store_path))
    prefixes = serialization_prefixes()
    named = [q for q in store if not isinstance(q.graph_name, ox.DefaultGraph)]
    for name, fmt in DUMP_FORMATS.items():
        target = str(folder / name)
        kwargs = {"prefixes": prefixes} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}
        if fmt in SINGLE_GRAPH_FORMATS:
            store.dump(target, fmt, from_graph=ox.DefaultGraph(), **kwargs)
        else:
            ox.serialize(named, target, fmt, **kwargs)
