"""The one module that opens the triple store.

A data directory holds complete builds side by side and a `current` symlink to the one being
served:

    DATA_DIR/current -> builds/20261122T101500-1234
    DATA_DIR/builds/<stamp>/store/      embedded Oxigraph store
    DATA_DIR/builds/<stamp>/dumps/      TriG, N-Quads, Turtle, N-Triples, JSON-LD, gzipped (graph/dumps.py)
    DATA_DIR/builds/<stamp>/report.json build report
    DATA_DIR/builds/<stamp>/originals/  the documents' files as read
    DATA_DIR/builds/<stamp>/documents/  the documents as loaded, for `r2pkg add` and `remove`
    DATA_DIR/builds/<stamp>/incremental/ the closure, entities and SHACL findings `r2pkg add` continues from
    DATA_DIR/builds/<stamp>/.complete   written once the build succeeded, before it is published
    DATA_DIR/.build.lock                held (flock) by the one build running in DATA_DIR

A build writes into a fresh directory and only swaps the symlink (an atomic rename) once
everything succeeded, so a failed or killed build never touches what is being served. One build
at a time: a second one is refused at once (see `build_lock`), so no build's prune can remove
what another just published, and a build directory without `.complete` found under the lock is
the leftover of a killed build.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from .backend import TripleStore
from .remote import RemoteStore, RemoteStoreError, ServerConfig

T = TypeVar("T")

DEFAULT_DATA_DIR = "data"
LOCK_FILE = ".build.lock"
COMPLETE = ".complete"


class StoreError(RuntimeError):
    """The store is missing, locked or unreadable; the message says how to fix it."""


class BuildLocked(StoreError):
    """Another build holds the data directory."""


def data_dir_from(value: str | os.PathLike[str] | None) -> Path:
    """The --data-dir option, else $R2PKG_DATA_DIR, else ./data."""
    return Path(value or os.environ.get("R2PKG_DATA_DIR") or DEFAULT_DATA_DIR).resolve()


@dataclass(frozen=True)
class BuildPaths:
    root: Path

    @property
    def store(self) -> Path:
        return self.root / "store"

    @property
    def dumps(self) -> Path:
        return self.root / "dumps"

    @property
    def report(self) -> Path:
        return self.root / "report.json"

    @property
    def documents(self) -> Path:
        """Each document as loaded, <slug>.pickle, reused by `r2pkg add` and `remove` (graph/build.py)."""
        return self.root / "documents"

    @property
    def incremental(self) -> Path:
        """What `r2pkg add` continues from: the reasoner's closure, the entities, the SHACL findings
        (graph/incremental.py)."""
        return self.root / "incremental"

    @property
    def originals(self) -> Path:
        """The documents' files as read, <slug><suffix> (served at /document/<slug>/original)."""
        return self.root / "originals"


def current_build(data_dir: Path) -> BuildPaths | None:
    link = data_dir / "current"
    if not link.exists():
        return None
    return BuildPaths(link.resolve())


def has_store(data_dir: Path) -> bool:
    build = current_build(data_dir)
    return build is not None and build.store.is_dir()


def open_store(data_dir: Path, *, read_only: bool = True,
               server: ServerConfig | None = None) -> TripleStore:
    """Open the served store; read-only opens work beside a running build.

    With `server`, the store is that SPARQL server (graph/remote.py), which must hold a build
    published by `r2pkg build --store sparql`.
    """
    if server is not None:
        return open_remote(server)
    build = current_build(data_dir)
    if build is None or not build.store.is_dir():
        raise StoreError(f"no graph in {data_dir}: run `r2pkg build --data-dir {data_dir}` first")
    try:
        return ox.Store.read_only(str(build.store)) if read_only else ox.Store(str(build.store))
    except (OSError, RuntimeError) as exc:  # RocksDB reports a damaged store as RuntimeError
        raise StoreError(
            f"cannot open the store in {build.store} ({exc}); "
            f"rebuild it with `r2pkg build --data-dir {data_dir}`"
        ) from exc


def open_remote(server: ServerConfig | RemoteStore) -> RemoteStore:
    """The SPARQL server as a store, once it is known to hold a published build. A RemoteStore
    already open is checked and returned (with its caches of the build's stamp and graphs)."""
    store = server if isinstance(server, RemoteStore) else RemoteStore(server)
    server = store.config
    try:
        stamp = store.build_stamp(fresh=True)
    except RemoteStoreError as exc:
        raise StoreError(str(exc)) from None
    if stamp is None:
        raise StoreError(f"no graph on the SPARQL server at {server.query_url}: "
                         "run `r2pkg build --store sparql ...` with the same URLs first")
    return store


@contextmanager
def new_build(data_dir: Path) -> Iterator[BuildPaths]:
    """A fresh build directory, published as `current` only if the block succeeds.

    The whole block holds the data directory's build lock, and the leftovers of killed builds
    are removed first (freeing their disk space before this build writes). The block opens the
    store at `paths.store` itself (see `write_store`), so that no frame outside a short write
    keeps a writable handle: pyoxigraph has no close(), and a handle that outlives the write
    would race readers opening the published store.
    """
    data_dir = Path(data_dir).resolve()   # so that builds compare equal to the resolved `current`
    with build_lock(data_dir):
        builds = data_dir / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        _remove_partial_builds(data_dir)
        paths = BuildPaths(builds / _stamp())
        paths.root.mkdir()
        try:
            yield paths
            previous = current_build(data_dir)
            _mark_and_publish(data_dir, paths.root)
        except BaseException:
            shutil.rmtree(paths.root, ignore_errors=True)
            raise
        _prune(data_dir, published=paths.root, previous=previous.root if previous else None)


@contextmanager
def build_lock(data_dir: Path) -> Iterator[None]:
    """Hold DATA_DIR/.build.lock exclusively for the block, or raise BuildLocked at once.

    A second build is refused rather than made to wait: a build takes minutes, a silent wait
    looks like a hang, and a scheduled build that meets a running one has nothing to add to it.
    The kernel drops the lock when its holder dies, however it dies, so a lock is never stale.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(f"another build is running in {data_dir} ({_lock_holder(fd)}); "
                              "wait for it or use another --data-dir") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # releases the lock


def _lock_holder(fd: int) -> str:
    """'pid N' of the build holding the lock, as it wrote it (it may not have written it yet)."""
    pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return f"pid {pid}" if pid.isdigit() else "pid unknown"


def _stamp() -> str:
    """Sortable by time to the nanosecond, so the newest build is the last by name."""
    return time.strftime("%Y%m%dT%H%M%S") + f".{time.time_ns() % 10**9:09d}-{os.getpid()}"


def write_store(path: Path, fill: Callable[[ox.Store], T]) -> T:
    """Open a writable store at path, let `fill` write it, flush, and drop the handle."""
    store = ox.Store(str(path))
    try:
        result = fill(store)
        store.flush()
        return result
    except BaseException as exc:
        # The frames of a failed write hold the store too; cleared, the handle closes below, before the
        # failed build's directory is removed: an open store's own threads (RocksDB's compactions)
        # could still write files into it meanwhile, and the directory would be left behind.
        traceback.clear_frames(exc.__traceback__)
        raise
    finally:
        del store


def _mark_and_publish(data_dir: Path, build_root: Path) -> None:
    """Mark the build complete and make it `current`; a failed write (a full disk) is one line."""
    try:
        (build_root / COMPLETE).touch()
        _publish(data_dir, build_root)
    except OSError as exc:
        raise StoreError(f"cannot publish the new build {build_root}: {exc.strerror or exc} "
                         "(the served graph is unchanged)") from None


def _publish(data_dir: Path, build_root: Path) -> None:
    tmp = data_dir / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(build_root.relative_to(data_dir))
    os.replace(tmp, data_dir / "current")


def _remove_partial_builds(data_dir: Path) -> None:
    """Remove build directories without COMPLETE: under the lock, their builds are dead (killed).
    The served build is never removed, even one published before builds were marked complete."""
    served = current_build(data_dir)
    for folder in (data_dir / "builds").iterdir():
        if not (folder / COMPLETE).exists() and (served is None or folder != served.root):
            shutil.rmtree(folder, ignore_errors=True)


def _prune(data_dir: Path, *, published: Path, previous: Path | None) -> None:
    """Remove the complete builds older than the one just published, except the one it replaced
    (kept for a reader still on it). Never the build `current` points to, never a newer one."""
    served = current_build(data_dir)
    keep = {published, previous, served.root if served else None}
    for folder in (data_dir / "builds").iterdir():
        if folder not in keep and folder.name < published.name and (folder / COMPLETE).exists():
            shutil.rmtree(folder, ignore_errors=True)


def dataset_options(store: TripleStore) -> dict[str, bool]:
    """How to query the store's default graph as the merge of all its graphs.

    A built store holds that merge (each distinct triple once) in its default graph, so queries
    use it as is. Oxigraph's `use_default_graph_as_union` is a multiset instead: a triple stated
    in two documents would answer twice. Stores without a merged default graph (small test
    fixtures) fall back to it. A SPARQL server gets the merge of its build as the default graph
    of every query (graph/remote.py).
    """
    if not isinstance(store, ox.Store):
        return {}
    merged = next(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is not None
    return {} if merged else {"use_default_graph_as_union": True}


def add_merged_default_graph(store: ox.Store) -> int:
    """Write the distinct triples of all named graphs into the default graph; returns how many."""
    triples = {(q.subject, q.predicate, q.object) for q in store}
    store.extend(ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in triples)
    return len(triples)


def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """rdflib term -> pyoxigraph term."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term):
    """pyoxigraph term -> rdflib term."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"not a pyoxigraph term: {term!r}")


def add_triples(store: ox.Store, graph: str, triples: Iterable[tuple]) -> int:
    """Add rdflib triples to a named graph; returns how many were given."""
    g = ox.NamedNode(str(graph))
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in triples]
    store.extend(quads)
    return len(quads)
