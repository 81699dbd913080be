"""The app's own view of the served graph: a read-only store, labels, class hierarchy, search index.

The app's page queries (written here, trusted, fast) run in this process on a `Store.read_only`
handle that is reopened when DATA_DIR/current moves to a new build. User queries (the SPARQL
endpoint, saved queries) go through graph/sparql.py's time-limited worker pool instead.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from r2pkg.graph.store import StoreError, current_build, open_store
from r2pkg.graph.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES, R2P

from .search import SearchIndex

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
LABEL_PROPERTIES = (SKOS + "prefLabel", RDFS + "label", "http://purl.org/dc/terms/title")
ALT_PROPERTIES = (SKOS + "altLabel", "http://xmlns.com/foaf/0.1/name", "https://schema.org/name")

_LABELS = """
SELECT ?s ?p ?l WHERE {
  VALUES ?p { <http://www.w3.org/2004/02/skos/core#prefLabel> <http://www.w3.org/2000/01/rdf-schema#label>
              <http://purl.org/dc/terms/title> <http://www.w3.org/2004/02/skos/core#altLabel> }
  ?s ?p ?l .
}
"""
_TYPES = "SELECT DISTINCT ?s ?t WHERE { ?s a ?t }"
_SUBCLASS = f"SELECT ?c ?d WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?c <{RDFS}subClassOf> ?d FILTER(isIRI(?d)) }} }}"
_SENTENCES = f"""
SELECT ?sent ?doc ?start ?end ?exact WHERE {{
  ?sent a <{R2P}Sentence> ; <http://www.w3.org/ns/oa#hasSource> ?doc ;
        <http://www.w3.org/ns/oa#start> ?start ; <http://www.w3.org/ns/oa#end> ?end ;
        <http://www.w3.org/ns/oa#exact> ?exact .
}}
"""


def short_iri(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def humanize_local(iri: str) -> str:
    """A readable name from an IRI with no label: 'state/cote-d-ivoire' -> 'cote d ivoire'."""
    tail = iri.rstrip("/").rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]
    return tail.replace("-", " ").replace("_", " ") or iri


@dataclass
class Snapshot:
    """Everything derived from one build, replaced as a whole when the build changes."""

    target: str | None
    store: ox.Store | None
    labels: dict[str, str] = field(default_factory=dict)
    alt_labels: dict[str, list[str]] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=dict)
    superclasses: dict[str, set[str]] = field(default_factory=dict)   # reflexive-transitive
    index: SearchIndex = field(default_factory=SearchIndex)
    error: str | None = None


class GraphData:
    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self._lock = threading.Lock()
        self._snap: Snapshot | None = None

    # ---- the current build ----
    def _target(self) -> str | None:
        build = current_build(self.data_dir)
        return str(build.root) if build is not None else None

    def snapshot(self) -> Snapshot:
        target = self._target()
        snap = self._snap
        if snap is not None and snap.target == target:
            return snap
        with self._lock:
            if self._snap is None or self._snap.target != target:
                self._snap = self._load(target)
            return self._snap

    def _load(self, target: str | None) -> Snapshot:
        try:
            store = open_store(self.data_dir, read_only=True)
        except StoreError as exc:
            return Snapshot(target, None, error=str(exc))
        snap = Snapshot(target, store)
        best: dict[str, tuple[int, str]] = {}
        for row in store.query(_LABELS, use_default_graph_as_union=True):
            s, p, lit = row["s"], row["p"].value, row["l"]
            if not isinstance(s, ox.NamedNode) or not isinstance(lit, ox.Literal):
                continue
            lang = lit.language or ""
            if p == SKOS + "altLabel":
                alts = snap.alt_labels.setdefault(s.value, [])
                if lit.value not in alts:
                    alts.append(lit.value)
                continue
            rank = LABEL_PROPERTIES.index(p) * 3 + (0 if lang.startswith("en") else 1 if not lang else 2)
            if s.value not in best or (rank, lit.value) < best[s.value]:
                best[s.value] = (rank, lit.value)
        snap.labels = {iri: label for iri, (_, label) in best.items()}
        for row in store.query(_TYPES, use_default_graph_as_union=True):
            if isinstance(row["s"], ox.NamedNode) and isinstance(row["t"], ox.NamedNode):
                snap.types.setdefault(row["s"].value, set()).add(row["t"].value)
        direct: dict[str, set[str]] = {}
        for row in store.query(_SUBCLASS):
            direct.setdefault(row["c"].value, set()).add(row["d"].value)
        for cls in set(direct) | {t for ts in snap.types.values() for t in ts}:
            seen, todo = {cls}, [cls]
            while todo:
                for sup in direct.get(todo.pop(), ()):
                    if sup not in seen:
                        seen.add(sup)
                        todo.append(sup)
            snap.superclasses[cls] = seen
        sentences = [(r["sent"].value, r["doc"].value, int(r["start"].value), int(r["end"].value), r["exact"].value)
                     for r in store.query(_SENTENCES, use_default_graph_as_union=True)]
        snap.index = SearchIndex.build(self._entities_for_index(snap), sentences, snap.labels)
        return snap

    @staticmethod
    def _entities_for_index(snap: Snapshot):
        from .urls import ID_PREFIX

        skip = (R2P.Evidence, R2P.Sentence, R2P.Mention)
        skip = {str(s) for s in skip}
        for iri, label in snap.labels.items():
            if not iri.startswith(ID_PREFIX) and not iri.startswith(str(R2P)):
                continue
            types = snap.types.get(iri, set())
            if types & skip:
                continue
            yield iri, label, snap.alt_labels.get(iri, []), types

    # ---- helpers used by views ----
    @property
    def store(self) -> ox.Store:
        snap = self.snapshot()
        if snap.store is None:
            raise StoreError(snap.error or "no graph")
        return snap.store

    def available(self) -> bool:
        return self.snapshot().store is not None

    def query(self, text: str, **bindings) -> list:
        subs = {ox.Variable(k): v for k, v in bindings.items() if v is not None}
        return list(self.store.query(text, use_default_graph_as_union=True, substitutions=subs or None))

    def label(self, iri: str) -> str:
        snap = self.snapshot()
        return snap.labels.get(iri) or humanize_local(iri)

    def has_label(self, iri: str) -> bool:
        return iri in self.snapshot().labels

    def types_of(self, iri: str) -> set[str]:
        return self.snapshot().types.get(iri, set())

    def is_a(self, iri: str, cls: str) -> bool:
        sup = self.snapshot().superclasses
        return any(cls in sup.get(t, {t}) for t in self.types_of(iri))

    def exists(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        store = self.store
        for _ in store.quads_for_pattern(node, None, None, None):
            return True
        for _ in store.quads_for_pattern(None, None, node, None):
            return True
        return False

    def is_inferred_graph(self, graph) -> bool:
        return isinstance(graph, ox.NamedNode) and graph.value == str(INFERRED_GRAPH)
