"""The app's own view of the served graph: a read-only store, labels, class hierarchy, search index.

The app's page queries (written here, trusted, fast) run in this process on a `Store.read_only`
handle that is reopened when DATA_DIR/current moves to a new build. User queries (the SPARQL
endpoint, saved queries) go through graph/sparql.py's time-limited worker pool instead.
"""
from __future__ import annotations

import json
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from flask import g, has_request_context

from r2pkg.graph.backend import TripleStore
from r2pkg.graph.remote import RemoteStore, RemoteStoreError, ServerConfig
from r2pkg.graph.sparql import with_values
from r2pkg.graph.store import BuildPaths, StoreError, current_build, dataset_options, open_remote, open_store
from r2pkg.graph.stats import entities_per_class
from r2pkg.graph.vocab import INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES, R2P, RECORD_CLASSES

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
_NAMED_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
# The entities' types. The evidence graphs' records (of RECORD_CLASSES, and so of their superclasses too) are
# nineteen typed nodes in twenty: they are left to `stored_types` (at 1,000 summaries, 0.11M rows against 0.89M: a
# server's start 15.6 -> 11.3 s, its memory 933 -> 567 MB). The record classes' own rows are dropped by the first
# FILTER, the rows of a record's other types (oa:SpecificResource of a sentence) by the second, a lookup per row that
# is left: no DISTINCT or MINUS, which had the store hold every record's type in memory while the rows streamed
# (10,000 summaries: 1.5 GB held against 0.3, for the same rows).
_TYPES = ("SELECT ?s ?t WHERE { ?s a ?t FILTER(?t NOT IN (" + ", ".join(f"<{cls}>" for cls in RECORD_CLASSES) + ")) "
          "FILTER NOT EXISTS { ?s a ?record VALUES ?record { " + " ".join(f"<{cls}>" for cls in RECORD_CLASSES)
          + " } } }")
_TYPES_OF = "SELECT DISTINCT ?t WHERE { ?s a ?t }"
_SUBCLASS = f"SELECT ?c ?d WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?c <{RDFS}subClassOf> ?d FILTER(isIRI(?d)) }} }}"
_SENTENCES = f"""
SELECT ?sent ?doc ?start ?end ?exact WHERE {{
  ?sent a <{R2P}Sentence> ; <http://www.w3.org/ns/oa#hasSource> ?doc ;
        <http://www.w3.org/ns/oa#start> ?start ; <http://www.w3.org/ns/oa#end> ?end ;
        <http://www.w3.org/ns/oa#exact> ?exact .
}}
"""
_SENTENCE_TEXTS = f"SELECT ?sent ?exact WHERE {{ ?sent a <{R2P}Sentence> ; <http://www.w3.org/ns/oa#exact> ?exact }}"
# A sentence's IRI is its document's with its span (graph/iris.sentence): <.../document/D#char=START,END>.
_SENTENCE_PLACE = re.compile(r"(.+)#char=(\d+),(\d+)\Z")


def _sentences(store: TripleStore) -> list[tuple[str, str, int, int, str]]:
    """Every sentence as (IRI, document, start, end, text), for the search index. The IRI names the document and the
    span, so only the text is read: the 89,621 sentences of 1,000 summaries in 1.1 s instead of 3.4, a server's start
    on 10,000 summaries 70-90 -> 51 s. A graph naming a sentence otherwise (not one r2pkg built) is read whole."""
    out = []
    for row in store.query(_SENTENCE_TEXTS, **dataset_options(store)):
        iri = row["sent"].value
        place = _SENTENCE_PLACE.match(iri)
        if place is None:
            return [(r["sent"].value, r["doc"].value, int(r["start"].value), int(r["end"].value), r["exact"].value)
                    for r in store.query(_SENTENCES, **dataset_options(store))]
        out.append((iri, place[1], int(place[2]), int(place[3]), row["exact"].value))
    return out


def short_iri(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def humanize_local(iri: str) -> str:
    """A readable name from an IRI with no label: 'state/cote-d-ivoire' -> 'cote d ivoire'."""
    tail = iri.rstrip("/").rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]
    return tail.replace("-", " ").replace("_", " ") or iri


KEPT_PER_BUILD = 16
T = TypeVar("T")


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
    figures: dict = field(default_factory=dict)               # GraphData.once_per_build: small, all kept
    kept: OrderedDict = field(default_factory=OrderedDict)   # GraphData.once_per_build: large, the latest kept
    page_counts: dict = field(default_factory=dict)   # entity pages' counts per property (bp_entity.py)
    entity_pages: OrderedDict = field(default_factory=OrderedDict)   # busy entities' page models (bp_entity.py)
    paged_orders: OrderedDict = field(default_factory=OrderedDict)   # paged properties' values, sorted (bp_entity.py)


class GraphData:
    """The served graph: the embedded store of DATA_DIR's current build, or a SPARQL server."""

    def __init__(self, data_dir: Path, server: "ServerConfig | None" = None):
        self.data_dir = Path(data_dir)
        self._remote = RemoteStore(server) if server is not None else None
        self._lock = threading.Lock()
        self._kept_lock = threading.Lock()     # the snapshot's `kept`, shared by waitress's threads
        self._snap: Snapshot | None = None
        self._resolved: tuple[str, str | None] | None = None     # (what `current` names, the build's folder)

    # ---- the current build ----
    def _target(self) -> str | None:
        if self._remote is not None:
            try:
                return self._remote.build_stamp()
            except RemoteStoreError as exc:
                return f"unreachable: {exc}"
        return self._local_target()

    def _local_target(self) -> str | None:
        """The served build's folder. Asked on every request: DATA_DIR/current is a symlink that a new build
        replaces (graph/store.py), so while it names the same folder the folder resolved before is reused, at
        the cost of one readlink instead of resolving the whole path (a fifth of a cached page's wall time on a
        loaded server, its threads waiting for the GIL after each system call)."""
        link = self.data_dir / "current"
        try:
            named = os.readlink(link)
        except OSError:            # no build yet, or not a symlink: resolve it the long way
            named = None
        memo = self._resolved
        if named is not None and memo is not None and memo[0] == named:
            return memo[1]
        build = current_build(self.data_dir)
        target = str(build.root) if build is not None else None
        self._resolved = (named, target) if named is not None else None
        return target

    def snapshot(self) -> Snapshot:
        """The graph as of the current build. Within a request the build is looked up once, so
        a page reads one consistent snapshot and its hundreds of label lookups cost no I/O."""
        if has_request_context():
            snap = g.get("r2pkg_snapshot")
            if snap is None:
                snap = g.r2pkg_snapshot = self._current_snapshot()
            return snap
        return self._current_snapshot()

    def _current_snapshot(self) -> Snapshot:
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
            store = open_remote(self._remote) if self._remote is not None else open_store(self.data_dir, read_only=True)
        except StoreError as exc:
            return Snapshot(target, None, error=str(exc))
        snap = Snapshot(target, store)
        best: dict[str, tuple[int, str]] = {}
        for row in store.query(_LABELS, **dataset_options(store)):
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
        for row in store.query(_TYPES, **dataset_options(store)):
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
        snap.index = SearchIndex.build(self._entities_for_index(snap), _sentences(store), snap.labels)
        return snap

    @staticmethod
    def _entities_for_index(snap: Snapshot):
        from .urls import ID_PREFIX

        # The evidence records are not among them: they have no types in the snapshot (_TYPES) and no labels.
        for iri, label in sorted(snap.labels.items()):    # ties rank the same on every store
            if not iri.startswith(ID_PREFIX) and not iri.startswith(str(R2P)):
                continue
            yield iri, label, snap.alt_labels.get(iri, []), snap.types.get(iri, set())

    # ---- helpers used by views ----
    @property
    def store(self) -> ox.Store:
        snap = self.snapshot()
        if snap.store is None:
            raise StoreError(snap.error or "no graph")
        return snap.store

    def quad_count(self) -> int:
        """Quads in all graphs of the build, counted once per build rather than per page (0.55 s at 1M)."""
        return self.once_per_build("quads", lambda: len(self.store), small=True)

    def build_report(self) -> dict:
        """The served build's report (graph/build.py writes it beside the store; `add` and `review apply` write
        a new build's), {} if it has none: read once per build, and not to be changed by its users."""
        return self.once_per_build("build report", self._read_report, small=True)

    def _read_report(self) -> dict:
        target = self.snapshot().target
        build = BuildPaths(Path(target)) if self._remote is None and target else current_build(self.data_dir)
        try:
            return json.loads(build.report.read_text(encoding="utf-8")) if build is not None else {}
        except (OSError, ValueError):
            return {}

    def statement_count(self) -> int:
        """Quads in the named graphs, the count the build reports: a built store's default graph is their
        merge (graph/store.py), which a plain count of the store would add a second time. Counting them takes
        4.4 s at 1,000 summaries: the report's count is taken when there is one (tests: they are equal)."""
        return self.once_per_build("statements", self._count_statements, small=True)

    def _count_statements(self) -> int:
        reported = self.build_report().get("total_quads")
        if isinstance(reported, int):
            return reported
        store = self.store
        if isinstance(store, ox.Store):
            return int(next(iter(store.query(_NAMED_QUADS)))["n"].value)
        merged = int(self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value)
        return self.quad_count() - merged

    def once_per_build(self, key: Hashable, make: Callable[[], T], *, small: bool = False) -> T:
        """`make()` kept for the build, for what a page reads of the whole graph (entities per class, a
        class's list): it changes only with the build, and at 1,000 summaries takes seconds to read. A `small`
        figure (a count, the report) is kept for the build's life; of the others, the KEPT_PER_BUILD most
        recently asked. What is kept must not be changed by its users."""
        snap = self.snapshot()
        with self._kept_lock:
            if small and key in snap.figures:
                return snap.figures[key]
            if not small and key in snap.kept:
                snap.kept.move_to_end(key)
                return snap.kept[key]
        made = make()
        with self._kept_lock:
            if small:
                snap.figures[key] = made
                return made
            snap.kept[key] = made
            while len(snap.kept) > KEPT_PER_BUILD:
                snap.kept.popitem(last=False)
        return made

    def class_counts(self) -> list[tuple[ox.NamedNode, int]]:
        """Entities per class, most first (the home page's table): the build report's, which counts them so
        (graph/stats.py), else counted (1.3 s at 1,000 summaries)."""
        return self.once_per_build("entities per class", self._class_counts, small=True)

    def _class_counts(self) -> list[tuple[ox.NamedNode, int]]:
        reported = self.build_report().get("entities_per_class")
        if not isinstance(reported, dict):
            return entities_per_class(self.store)
        return [(ox.NamedNode(R2P + name), n) for name, n in reported.items()]

    def available(self) -> bool:
        return self.snapshot().store is not None

    def query(self, text: str, **bindings) -> list:
        """Run one of the app's own queries with values bound to variables. The values go in a
        VALUES block (graph.sparql.with_values): Oxigraph then starts from them, where
        `substitutions` filters afterwards (33 ms against 0.6 ms for an entity's evidence at 100k)."""
        values = {ox.Variable(k): v for k, v in bindings.items() if v is not None}
        return list(self.store.query(with_values(text, values), **dataset_options(self.store)))

    def label(self, iri: str) -> str:
        snap = self.snapshot()
        return snap.labels.get(iri) or humanize_local(iri)

    def has_label(self, iri: str) -> bool:
        return iri in self.snapshot().labels

    def types_of(self, iri: str) -> set[str]:
        """An entity's types, from the snapshot: empty for an evidence record (see `stored_types`)."""
        return self.snapshot().types.get(iri, set())

    def stored_types(self, iri: str) -> set[str]:
        """Any node's types, an evidence record's included: the snapshot's, else read from the store (a
        record's own page asks; the snapshot does not hold the records' types)."""
        return self.types_of(iri) or {r["t"].value for r in self.query(_TYPES_OF, s=ox.NamedNode(iri))
                                      if isinstance(r["t"], ox.NamedNode)}

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


# ---- maps and external links (entity and home pages) ----
# Coordinates and links come from the external graph (graph/external.py): geo:lat/geo:long (WGS84; a state's
# point is its capital's), owl:sameAs / skos:exactMatch to Wikidata, DBpedia and GeoNames, ISO 3166-1 codes,
# the UN regional group. The map is drawn by static/map.js over country shapes shipped in static/geo/.

GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
DBPEDIA_RESOURCE = "http://dbpedia.org/resource/"
GEONAMES_FEATURE = "https://sws.geonames.org/"
MAP_SHAPES = "geo/countries-110m.geojson"   # under static/

_GEO_PREFIXES = f"PREFIX r2p: <{R2P}>\nPREFIX geo: <{GEO}>\n"
# The page's entity is bound as a value (a VALUES block, see GraphData.query).
_POINT = _GEO_PREFIXES + """
SELECT ?s ?lat ?long ?numeric WHERE {
  ?s geo:lat ?lat ; geo:long ?long .
  OPTIONAL { ?s r2p:iso3166Numeric ?numeric }
} LIMIT 1"""
_STATE_OF_CITY = _GEO_PREFIXES + """
SELECT DISTINCT ?city ?state ?numeric WHERE {
  { ?city r2p:cityOf ?state } UNION { ?city r2p:locatedIn ?state }
  ?state a r2p:State .
  OPTIONAL { ?state r2p:iso3166Numeric ?numeric }
}"""
_CITIES_OF_STATE = _GEO_PREFIXES + """
SELECT DISTINCT ?state ?city ?lat ?long WHERE {
  { ?city r2p:cityOf ?state } UNION { ?city r2p:locatedIn ?state }
  ?city a r2p:City ; geo:lat ?lat ; geo:long ?long .
}"""
_MEETING_CITY = _GEO_PREFIXES + """
SELECT DISTINCT ?meeting ?city ?lat ?long WHERE {
  ?meeting r2p:heldInCity ?city . ?city geo:lat ?lat ; geo:long ?long .
}"""
# Members of the network, as the saved queries members-by-regional-group and regional-share count them: a state
# with a focal-point post (r2p:hasFocalPoint, asserted or inferred, or r2p:focalPointOf) or typed
# r2p:NetworkMember. Only states have coordinates; organizations are not on the map.
_MEMBER_STATES = _GEO_PREFIXES + """
SELECT ?member (SAMPLE(?la) AS ?lat) (SAMPLE(?lo) AS ?long) (SAMPLE(?n) AS ?numeric) WHERE {
  { SELECT DISTINCT ?member WHERE {
      { ?member r2p:hasFocalPoint ?post } UNION { ?post r2p:focalPointOf ?member } UNION { ?member a r2p:NetworkMember }
  } }
  ?member a r2p:State ; geo:lat ?la ; geo:long ?lo .
  OPTIONAL { ?member r2p:iso3166Numeric ?n }
} GROUP BY ?member"""
_MEETING_CITIES = _GEO_PREFIXES + """
SELECT ?city ?meeting (SAMPLE(?la) AS ?lat) (SAMPLE(?lo) AS ?long) (MIN(?o) AS ?ordinal) WHERE {
  ?meeting r2p:heldInCity ?city . ?city geo:lat ?la ; geo:long ?lo .
  OPTIONAL { ?meeting r2p:ordinal ?o }
} GROUP BY ?city ?meeting"""


@dataclass(frozen=True)
class MapPoint:
    iri: str
    label: str
    lat: float
    long: float
    kind: str                     # "state" | "city" | "member" | "meeting-city"
    focus: bool = False           # the entity the page is about
    notes: tuple[str, ...] = ()   # graph IRIs listed under the label (a city's meetings)


@dataclass
class MapData:
    """What one map shows: points, and the countries (ISO 3166-1 numeric codes) to tint."""

    points: list[MapPoint]
    highlight: list[str] = field(default_factory=list)
    caption: str = ""

    def to_json(self, urls, label) -> str:
        """The map's data for static/map.js, safe inside <script type="application/json">."""
        import json

        def link(iri: str) -> dict:
            return {"iri": iri, "label": label(iri), "url": urls.link(iri)}

        payload = {
            "shapes": urls.static(MAP_SHAPES),
            "highlight": self.highlight,
            "points": [{**link(p.iri), "lat": p.lat, "long": p.long, "kind": p.kind, "focus": p.focus,
                        "notes": [link(n) for n in p.notes]} for p in self.points],
        }
        return json.dumps(payload, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


def _float(term) -> float | None:
    try:
        return float(term.value) if term is not None else None
    except ValueError:
        return None


def _numeric(term) -> str | None:
    if term is None:
        return None
    value = term.value.strip()
    return value.zfill(3) if value.isdigit() else None


def entity_map(data: GraphData, iri: str) -> MapData | None:
    """The map of an entity page: a place with coordinates (a state, a city) and what lies in it, or a
    meeting's city; None when the entity has no place to show."""
    node = ox.NamedNode(iri)
    rows = data.query(_POINT, s=node)
    row = rows[0] if rows else None
    lat, long = (_float(row["lat"]), _float(row["long"])) if row is not None else (None, None)
    if lat is None or long is None:
        return _meeting_map(data, node)
    is_state = data.is_a(iri, str(R2P.State))
    kind = "state" if is_state else "city" if data.is_a(iri, str(R2P.City)) else "place"
    points = [MapPoint(iri, data.label(iri), lat, long, kind, focus=True)]
    highlight: list[str] = []
    if is_state:
        if _numeric(row["numeric"]):
            highlight.append(_numeric(row["numeric"]))
        for r in data.query(_CITIES_OF_STATE, state=node):
            c_lat, c_long = _float(r["lat"]), _float(r["long"])
            if c_lat is not None and c_long is not None and all(r["city"].value != x.iri for x in points):
                points.append(MapPoint(r["city"].value, data.label(r["city"].value), c_lat, c_long, "city"))
        caption = "Marker: the capital's coordinates" + (", and cities of the graph in it" if len(points) > 1 else "")
    else:
        for r in data.query(_STATE_OF_CITY, city=node):
            if _numeric(r["numeric"]):
                highlight.append(_numeric(r["numeric"]))
        caption = ""
    points[1:] = sorted(points[1:], key=lambda p: p.label.lower())
    return MapData(points, sorted(set(highlight)), caption)


def _meeting_map(data: GraphData, node: ox.NamedNode) -> MapData | None:
    points = []
    for r in data.query(_MEETING_CITY, meeting=node):
        lat, long = _float(r["lat"]), _float(r["long"])
        if lat is not None and long is not None and all(r["city"].value != x.iri for x in points):
            points.append(MapPoint(r["city"].value, data.label(r["city"].value), lat, long, "city", focus=True))
    return MapData(points, caption="Where it was held") if points else None


def network_map(data: GraphData) -> MapData:
    """The home page's map: the member states of the network and the cities where meetings were held."""
    points: list[MapPoint] = []
    highlight: set[str] = set()
    for r in data.query(_MEMBER_STATES):
        lat, long = _float(r["lat"]), _float(r["long"])
        if isinstance(r["member"], ox.NamedNode) and lat is not None and long is not None:
            points.append(MapPoint(r["member"].value, data.label(r["member"].value), lat, long, "member"))
            if _numeric(r["numeric"]):
                highlight.add(_numeric(r["numeric"]))
    points.sort(key=lambda p: p.label.lower())
    cities: dict[str, dict] = {}
    for r in data.query(_MEETING_CITIES):
        lat, long = _float(r["lat"]), _float(r["long"])
        if lat is None or long is None:
            continue
        city = cities.setdefault(r["city"].value, {"lat": lat, "long": long, "meetings": []})
        ordinal = _float(r["ordinal"])
        city["meetings"].append((ordinal if ordinal is not None else float("inf"), r["meeting"].value))
    for iri, c in sorted(cities.items(), key=lambda kv: data.label(kv[0]).lower()):
        meetings = tuple(m for _, m in sorted(c["meetings"]))
        points.append(MapPoint(iri, data.label(iri), c["lat"], c["long"], "meeting-city", notes=meetings))
    members = sum(p.kind == "member" for p in points)
    caption = (f"{members} member state{'s' if members != 1 else ''} (marker at the capital) and "
               f"{len(cities)} meeting cit{'ies' if len(cities) != 1 else 'y'}")
    return MapData(points, sorted(highlight), caption)


@dataclass(frozen=True)
class ExternalLink:
    """One row of an entity page's External links block."""

    kind: str           # "wikidata" | "dbpedia" | "geonames" | "same-as" | "iso-alpha2" | ... | "un-group" | "coordinates"
    label: str          # what the row is called: "Wikidata", "ISO 3166-1 alpha-2", ...
    text: str           # what it shows: "Q35", "DK", ...
    href: str | None    # an outside URL, or a graph IRI when `local`
    local: bool = False


_LINK_PROPERTIES = (OWL + "sameAs", SKOS + "exactMatch", SKOS + "closeMatch", RDFS + "seeAlso")
_ISO = ((str(R2P) + "iso3166Alpha2", "iso-alpha2", "ISO 3166-1 alpha-2"),
        (str(R2P) + "iso3166Alpha3", "iso-alpha3", "ISO 3166-1 alpha-3"),
        (str(R2P) + "iso3166Numeric", "iso-numeric", "ISO 3166-1 numeric"))
_KIND_ORDER = ("wikidata", "dbpedia", "geonames", "same-as", "iso-alpha2", "iso-alpha3", "iso-numeric", "un-group",
               "coordinates")


def external_links(data: GraphData, iri: str) -> list[ExternalLink]:
    """Links to Wikidata, DBpedia, GeoNames (and any other owl:sameAs / skos match), ISO 3166-1 codes, the UN
    regional group and coordinates of an entity, in that order; empty when it has none."""
    from urllib.parse import unquote

    store = data.store
    node = ox.NamedNode(iri)
    values: dict[str, list] = {}
    wanted = (*_LINK_PROPERTIES, *(p for p, _, _ in _ISO), str(R2P) + "unRegionalGroup", GEO + "lat", GEO + "long")
    for p in wanted:        # each property looked up: a hub's thousands of other triples are not read
        for q in store.quads_for_pattern(node, ox.NamedNode(p), None, None):
            slot = values.setdefault(p, [])
            if q.object not in slot:
                slot.append(q.object)
    out: list[ExternalLink] = []
    seen: set[str] = set()
    for p in _LINK_PROPERTIES:
        for o in values.get(p, []):
            if not isinstance(o, ox.NamedNode) or o.value in seen:
                continue
            seen.add(o.value)
            x = o.value
            if x.startswith(WIKIDATA_ENTITY):
                out.append(ExternalLink("wikidata", "Wikidata", x[len(WIKIDATA_ENTITY):], x))
            elif x.startswith(DBPEDIA_RESOURCE):
                out.append(ExternalLink("dbpedia", "DBpedia", unquote(x[len(DBPEDIA_RESOURCE):]).replace("_", " "), x))
            elif x.startswith(GEONAMES_FEATURE):
                out.append(ExternalLink("geonames", "GeoNames", x[len(GEONAMES_FEATURE):].strip("/"), x))
            else:
                out.append(ExternalLink("same-as", "Same as", x, x))
    for p, kind, label in _ISO:
        for o in values.get(p, [])[:1]:
            out.append(ExternalLink(kind, label, o.value, None))
    for o in values.get(str(R2P) + "unRegionalGroup", []):
        if isinstance(o, ox.NamedNode):
            out.append(ExternalLink("un-group", "UN regional group", data.label(o.value), o.value, local=True))
    lat = next((_float(o) for o in values.get(GEO + "lat", [])), None)
    long = next((_float(o) for o in values.get(GEO + "long", [])), None)
    if lat is not None and long is not None:
        text = f"{abs(lat):.4f}° {'N' if lat >= 0 else 'S'}, {abs(long):.4f}° {'E' if long >= 0 else 'W'}"
        out.append(ExternalLink("coordinates", "Coordinates", text, None))
    out.sort(key=lambda link: _KIND_ORDER.index(link.kind))
    return out
