"""What a full build and an addition to a build both need: statements as N-Triples text, the corpus's own
triples, the entities facts name and their external links, the documents as loaded (kept for `r2pkg add`),
and the dumps. `build` and `incremental` import these from here, so that neither imports the other twice
over (tests/test_import_graph.py).
"""
from __future__ import annotations

import os
import pickle
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from r2pkg.loaders.batch import dump_terms_as_text
from r2pkg.loaders.model import LoadedDocument

from . import dumps, iris, jsonld, store as stores
from .evidence import nt
from .vocab import R2P, serialization_prefixes


class BuildError(RuntimeError):
    """The build cannot produce a graph (no corpus folder, no loadable document)."""


Triple = tuple


Graphs = dict[URIRef, list[str]]   # graph name -> N-Triples statements without the final " ."


@dataclass
class SourceDocument:
    path: Path                   # as listed (named in messages and the report)
    slug: str
    metadata: dict = field(default_factory=dict)
    refusal: str | None = None   # why it is refused before being read, if it is
    real: Path | None = None     # the file read: path with symlinks resolved, inside the corpus folder


def _ntriples(triples: Iterable[Triple]) -> list[str]:
    """rdflib triples as N-Triples statements without the final " ."."""
    return [f"{nt(s)} {nt(p)} {nt(o)}" for s, p, o in triples]


def _nquads(graphs: Graphs) -> str:
    return "".join(f"{line} <{graph}> .\n" for graph, lines in graphs.items() for line in lines)


def _entities(facts: list[Triple]) -> set[URIRef]:
    return {t for s, _p, o in facts for t in (s, o) if isinstance(t, URIRef)}


# The loaded form of each document, kept in the build so that `r2pkg add` and `remove` read no other
# document again. A pickle: the build wrote it and only the build reads it. The version changes with
# LoadedDocument's fields; a build kept with another cannot be added to (a full build can).
KEPT_VERSION = 3   # 3: each Fact names the rules that emitted it (Fact.rules)


class KeptDocuments:
    """The documents of a build as it loaded them, each read back from its pickle in the build's documents/
    folder when the sequence is iterated, one at a time: the stages after loading hold one document's loaded
    form, not the corpus's (about 0.4 GB a 1,000 summaries). Iterable any number of times, in the order of
    `slugs`; `len`, `slugs` and `without` read no file."""

    def __init__(self, build: stores.BuildPaths, slugs: Iterable[str]):
        self.build = build
        self.slugs = list(slugs)

    def __len__(self) -> int:
        return len(self.slugs)

    def __iter__(self) -> Iterator[tuple[LoadedDocument, SourceDocument]]:
        for slug in self.slugs:
            yield _read_kept(self.build, self.build.documents / f"{slug}.pickle")

    def without(self, slugs: Iterable[str]) -> "KeptDocuments":
        gone = set(slugs)
        return KeptDocuments(self.build, [s for s in self.slugs if s not in gone])


def keep_document(doc: LoadedDocument, source: SourceDocument, paths: stores.BuildPaths) -> None:
    """The document's file as read (for /document/<slug>/original) and its loaded form (for the later stages,
    and for add and remove), written into the build."""
    paths.originals.mkdir(parents=True, exist_ok=True)
    paths.documents.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source.real, paths.originals / f"{doc.slug}{source.real.suffix.lower()}")
    with open(paths.documents / f"{doc.slug}.pickle", "wb") as out:
        dump_terms_as_text((KEPT_VERSION, doc, source), out)


def _keep_documents(docs: Iterable[tuple[LoadedDocument, SourceDocument]], paths: stores.BuildPaths,
                    reused: stores.BuildPaths | None) -> KeptDocuments:
    """Each document's file as read and its loaded form: linked from the `reused` build when it holds them
    already, else written; nothing to do for those this build kept as it loaded them. Returns the documents
    as the build now keeps them."""
    if isinstance(docs, KeptDocuments) and docs.build.documents == paths.documents:
        return docs
    paths.originals.mkdir(parents=True, exist_ok=True)
    paths.documents.mkdir(parents=True, exist_ok=True)
    slugs = []
    for doc, source in docs:
        slugs.append(doc.slug)
        original = f"{doc.slug}{source.real.suffix.lower()}"
        kept = f"{doc.slug}.pickle"
        if reused is not None and source.real == reused.originals / original and (reused.documents / kept).is_file():
            _link_or_copy(reused.originals / original, paths.originals / original)
            _link_or_copy(reused.documents / kept, paths.documents / kept)
            continue
        keep_document(doc, source, paths)
    return KeptDocuments(paths, slugs)


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link (builds share unchanged files, at no cost in disk), or a copy across file systems."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def kept_documents(build: stores.BuildPaths) -> KeptDocuments:
    """The documents of a published build as it loaded them, each with its source now the build's own
    copy of the file, read one at a time as they are iterated; BuildError if the build kept none (made
    before they were kept) or another version (the first is read here to tell)."""
    folder = build.documents
    if not folder.is_dir():
        raise BuildError(f"the served build {build.root.name} keeps no loaded documents (it predates "
                         "`r2pkg add`): run `r2pkg build` once, then add")
    paths = sorted(folder.glob("*.pickle"))
    if paths:
        _read_kept(build, paths[0])
    return KeptDocuments(build, [p.stem for p in paths])


def _read_kept(build: stores.BuildPaths, path: Path) -> tuple[LoadedDocument, SourceDocument]:
    with open(path, "rb") as f:
        version, doc, source = pickle.load(f)
    if version != KEPT_VERSION:
        raise BuildError(f"the served build {build.root.name} keeps its documents in another format "
                         f"(version {version}, this r2pkg reads {KEPT_VERSION}): run `r2pkg build` once, then add")
    source.real = build.originals / f"{doc.slug}{source.real.suffix.lower()}"
    return doc, source


def _corpus_triples(docs: list[tuple[LoadedDocument, SourceDocument]]) -> Iterator[Triple]:
    """Document metadata: from the manifest where it has some, then from the file's own metadata (a PDF's
    or Word file's properties, a page's <meta> tags), then from the text."""
    for doc, source in docs:
        node = iris.document(doc.slug)
        meta = {**{k: v for k, v in doc.metadata.items() if v}, **{k: v for k, v in source.metadata.items() if v}}
        yield node, RDF.type, R2P.Document
        title = meta.get("title") or doc.title
        yield node, DCTERMS.title, Literal(title)
        label = Literal(title, lang=_language_tag(meta.get("language")))
        yield node, SKOS.prefLabel, label
        yield node, RDFS.label, label
        yield node, DCTERMS.source, Literal(source.path.name)
        yield node, DCTERMS.format, Literal(source.metadata.get("format") or doc.media_type)
        yield node, R2P.text, Literal(doc.text)
        if meta.get("language"):
            yield node, DCTERMS.language, Literal(meta["language"])
        issued = _issued(meta, doc)
        if issued is not None:
            yield node, DCTERMS.issued, issued
        if meta.get("publisher") and _sluggable(meta["publisher"]):
            publisher = iris.entity("org", iris.slugify(meta["publisher"]))
            yield node, DCTERMS.publisher, publisher
        for graph in (iris.document_graph(doc.slug), iris.evidence_graph(doc.slug)):
            yield graph, PROV.wasDerivedFrom, node


def _language_tag(language: str | None) -> str:
    """The document's language as a label's tag when its metadata gives one as a tag ('en', 'fr-CA'); else English,
    the language the loaders read."""
    return language if language and re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", language) else "en"


def _issued(meta: dict, doc: LoadedDocument) -> Literal | None:
    """The manifest's year; else the file's own date, unless the text's date line already gives one."""
    if meta.get("year"):
        return Literal(str(meta["year"]), datatype=XSD.gYear)
    date = meta.get("issued")
    if not date or any(f.predicate == DCTERMS.issued for f in doc.facts):
        return None
    return Literal(date, datatype=XSD.date if len(date) == 10 else XSD.gYear)


def _external(entities: set[URIRef]) -> tuple[list[Triple], int | None]:
    """Links to open datasets, when the curated link tables are installed."""
    try:
        from .external import external_triples, unlinked
    except ImportError:
        return [], None
    return list(external_triples(entities)), len(unlinked(entities))


@dataclass(frozen=True)
class DumpsBefore:
    """A build's dumps to continue from, and what a change did since (graph/incremental.py keeps it): the named
    graphs a statement left (written again whole), the statements it added to the others, and the statements
    it added to the merge and removed from it."""

    dumps: Path                         # the earlier build's dumps folder, all five complete
    rewritten: list[ox.NamedNode]       # graphs a statement left: written again from the store
    added_quads: Path                   # N-Quads added to the other named graphs
    added_triples: Path                 # N-Triples added to the merge
    removed_triples: Path               # N-Triples that left the merge


def write_dumps(store_path: Path, folder: Path, wanted: Callable[[], bool] = lambda: True,
                before: DumpsBefore | None = None) -> bool:
    """TriG, N-Quads and JSON-LD hold the named graphs; Turtle and N-Triples their merge (the
    store's default graph), each written gzipped (graph/dumps.py). Streamed, so memory stays flat: the
    store is read twice, graph by graph into graph.nq and its default graph into graph.nt, and the other
    formats are written from those two files (parsing them is several times faster than reading the
    store back: 1,000 summaries' Turtle in 8 s against 38 s; all five dumps in 118 s against 178).

    `before`: the N-Quads and N-Triples continue an earlier build's, read as they are but for the graphs a
    statement left, which are read from the store, and with the change's statements added at their end.

    `wanted()` is asked before each dump: False stops the writing (the dumps are left unfinished and
    False returned), for a build no longer served by the time its dumps would be written."""
    store = ox.Store.read_only(str(store_path))
    prefixes = serialization_prefixes()

    def named_graphs(out: IO[bytes]) -> None:
        graphs = store.named_graphs() if before is None else before.rewritten
        if before is not None:
            with dumps.reading(before.dumps, "graph.nq") as earlier:
                _copy_without_graphs(earlier, out, before.rewritten)
        for graph in sorted(graphs, key=str):
            naming = _NamingGraph(out, graph)
            store.dump(naming, ox.RdfFormat.N_TRIPLES, from_graph=graph)
            naming.close()
        if before is not None:
            with open(before.added_quads, "rb") as added:
                shutil.copyfileobj(added, out, COPY_BLOCK)

    def merge(out: IO[bytes]) -> None:
        if before is None:
            store.dump(out, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
            return
        removed = {quad.triple for quad in ox.parse(path=before.removed_triples, format=ox.RdfFormat.N_TRIPLES)}
        with dumps.reading(before.dumps, "graph.nt") as earlier, open(before.added_triples, "rb") as added:
            _copy_without_triples(earlier, out, removed)
            shutil.copyfileobj(added, out, COPY_BLOCK)

    steps: list[tuple[str, Callable[[IO[bytes]], None]]] = [
        ("graph.nq", named_graphs),
        ("graph.nt", merge),
        *from_nquads(folder, prefixes),
        ("graph.ttl", lambda out: ox.serialize(dumps.parsed(folder, "graph.nt"), out, ox.RdfFormat.TURTLE,
                                               prefixes=prefixes)),
    ]
    for name, write in steps:
        if not wanted():
            return False
        with dumps.writing(folder, name) as out:
            write(out)
    return True


COPY_BLOCK = 16 << 20


def line_blocks(source: IO[bytes], size: int) -> Iterator[bytes]:
    """`source` about `size` bytes at a time, each block ending at a line end (given to a last line that lacks
    one): N-Triples and N-Quads cut into whole statements, as the store's bulk loader and a copy take them."""
    rest = b""
    while block := source.read(size):
        block = rest + block
        cut = block.rfind(b"\n") + 1
        block, rest = block[:cut], block[cut:]
        if block:
            yield block
    if rest:
        yield rest if rest.endswith(b"\n") else rest + b"\n"


def as_held(triples: Iterable[ox.Triple]) -> set[ox.Triple]:
    """The statements as a store holds them: a literal of a type derived from xsd:integer as an xsd:integer,
    a decimal in its canonical form (an earlier version's dumps keep the offsets' derived type and
    the coordinates' trailing zeros)."""
    held = ox.Store()
    held.extend(ox.Quad(*triple, ox.DefaultGraph()) for triple in triples)
    return {quad.triple for quad in held}


def _copy_without_triples(source: IO[bytes], out: IO[bytes], removed: set[ox.Triple]) -> None:
    """N-Triples copied but for the `removed` statements (as a store holds them), a block at a time: a line
    whose subject is a removed statement's is compared as the store holds its statement."""
    subjects = {str(triple.subject).encode() for triple in removed}

    def kept(line: bytes) -> bool:
        if line[:line.find(b" ")] not in subjects:
            return True
        statement = ox.parse(line, format=ox.RdfFormat.N_TRIPLES, lenient=True)
        return not as_held(quad.triple for quad in statement) & removed

    for block in line_blocks(source, COPY_BLOCK):
        if subjects:
            block = b"".join(line for line in block.splitlines(keepends=True) if kept(line))
        out.write(block)


def _copy_without_graphs(source: IO[bytes], out: IO[bytes], graphs: list[ox.NamedNode]) -> None:
    """N-Quads copied but for the statements of `graphs`, a block at a time: a block that names none of them
    is copied as it is (a build writes each derived graph in one stretch, so most blocks are)."""
    ends = tuple(f" {graph} .\n".encode() for graph in graphs)
    for block in line_blocks(source, COPY_BLOCK):
        if any(end in block for end in ends):
            block = b"".join(line for line in block.splitlines(keepends=True) if not line.endswith(ends))
        out.write(block)


class _NamingGraph:
    """A writable file that turns the N-Triples written to it into N-Quads of `graph`: the store writes one
    graph's statements natively as N-Triples (every quad read into Python took 81 s against 49 at 1,000
    summaries), and each line's end ` .` gets the graph's name before it. A literal's line break is
    escaped in N-Triples, so a line ends at each line feed; a line cut between two writes waits for its end."""

    def __init__(self, out: IO[bytes], graph: ox.NamedNode):
        self.out = out
        self.end = f" {graph} .\n".encode()
        self.rest = b""

    def write(self, data: bytes) -> int:
        text = self.rest + bytes(data)
        cut = text.rfind(b"\n") + 1
        self.rest = text[cut:]
        self.out.write(text[:cut].replace(b" .\n", self.end))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        if self.rest:
            raise ValueError("the store's N-Triples ended without a line end")


def from_nquads(folder: Path, prefixes: dict[str, str]) -> list[tuple[str, Callable[[IO[bytes]], None]]]:
    """TriG and JSON-LD, each a dump name and its writer, from the graph.nq dump in `folder` (parsing the
    N-Quads is several times faster than reading the store back)."""
    return [
        ("graph.trig", lambda out: ox.serialize(dumps.parsed(folder, "graph.nq"), out, ox.RdfFormat.TRIG,
                                                prefixes=prefixes)),
        ("graph.jsonld", lambda out: _dump_jsonld(out, lambda into: ox.serialize(
            dumps.parsed(folder, "graph.nq"), into, ox.RdfFormat.JSON_LD))),
    ]


def _dump_jsonld(out: IO[bytes], write: Callable[[IO[bytes]], None]) -> None:
    """JSON-LD with the project's prefixes as its @context: pyoxigraph writes expanded JSON-LD, which is
    wrapped as the context's @graph as it streams to the file (a dump is too large to read back)."""
    out.write(jsonld.stream_prefix(serialization_prefixes()))
    write(out)
    out.write(jsonld.STREAM_SUFFIX)


def _sluggable(text: str) -> bool:
    try:
        iris.slugify(text)
    except ValueError:
        return False
    return True
