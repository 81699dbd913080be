"""A build's dumps on disk: written gzipped as they are made, read back (decompressed) by whoever needs
the statements, and listed for /dumps.

A build keeps only the compressed files, `dumps/graph.trig.gz` and so on, with `dumps/sizes.json`
giving each one's size uncompressed: RDF compresses to about a twentieth, and the plain files were
most of a build's disk (1,000 summaries: 4.0 of 6.9 GB; 10,000 would not fit on a 64 GB disk beside
the store). Clients that accept gzip get the files as they are; the others get them decompressed as
they are sent (webapp/bp_dumps.py).

Builds made before this kept the plain files in `dumps/` and their gzipped copies in `dumps-gz/`;
`listed` and `open_dump` read those too, so a served build of an older version still has its dumps.
"""
from __future__ import annotations

import gzip
import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

SIZES = "sizes.json"
GZIP_LEVEL = 3     # on our N-Quads about 170 MB/s a core against 80 at gzip's default 6, for files some 18% larger
LEGACY_COMPRESSED = "dumps-gz"     # beside `dumps/` in builds that kept both
_SIZES_LOCK = threading.Lock()

FORMATS = {
    "graph.trig": ox.RdfFormat.TRIG,
    "graph.nq": ox.RdfFormat.N_QUADS,
    "graph.jsonld": ox.RdfFormat.JSON_LD,
    "graph.ttl": ox.RdfFormat.TURTLE,
    "graph.nt": ox.RdfFormat.N_TRIPLES,
}


@dataclass(frozen=True)
class Dump:
    name: str                   # graph.ttl: the name it is served under
    size: int                   # bytes, uncompressed
    packed: Path | None         # the gzipped file
    plain: Path | None = None   # the plain file (builds made before dumps were kept gzipped only)

    def open(self) -> IO[bytes]:
        """The dump's bytes, uncompressed."""
        if self.plain is not None:
            return open(self.plain, "rb")
        assert self.packed is not None
        return gzip.open(self.packed, "rb")


@contextmanager
def writing(folder: Path, name: str) -> Iterator[IO[bytes]]:
    """`folder/name.gz`, written gzipped as it is made, its size uncompressed entered in `folder/sizes.json`
    once it is complete (a dump cut short by an error is neither listed nor kept). No file name or time in
    the gzip header, so one build's dumps compress to the same bytes twice."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.gz"
    try:
        with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=GZIP_LEVEL,
                                                    mtime=0) as out:
            yield out
            size = out.tell()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    _record_size(folder, name, size)


@contextmanager
def writing_text(folder: Path, name: str) -> Iterator[IO[str]]:
    """`writing`, for text (UTF-8)."""
    with writing(folder, name) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n", write_through=False)
        try:
            yield text
        finally:
            text.flush()
            text.detach()


def reading(folder: Path, name: str) -> IO[bytes]:
    """A dump of a build being written, as `writing` left it (the build reads its own N-Quads and N-Triples
    back for the other formats and the store's default graph)."""
    return gzip.open(folder / f"{name}.gz", "rb")


def parsed(folder: Path, name: str) -> Iterator[ox.Quad]:
    """The statements of a dump being written by the build. Parsed leniently (IRIs not checked again: over
    half of each dump's time): the store's loader checked the same statements strictly."""
    with reading(folder, name) as source:       # closed once read, not left to the garbage collector
        yield from ox.parse(source, format=FORMATS[name], lenient=True)


def listed(folder: Path) -> list[Dump]:
    """The dumps in a build's `dumps` folder, by name: those whose writing completed."""
    if not folder.is_dir():
        return []
    sizes = _sizes(folder)
    out = {name: Dump(name, size, folder / f"{name}.gz") for name, size in sizes.items()
           if (folder / f"{name}.gz").is_file()}
    legacy = folder.parent / LEGACY_COMPRESSED
    for path in folder.iterdir():
        if path.is_file() and path.name in FORMATS and path.name not in out:
            packed = legacy / f"{path.name}.gz"
            out[path.name] = Dump(path.name, path.stat().st_size, packed if packed.is_file() else None, path)
    return [out[name] for name in sorted(out)]


def _sizes(folder: Path) -> dict[str, int]:
    try:
        sizes = json.loads((folder / SIZES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {name: size for name, size in sizes.items() if isinstance(size, int)} if isinstance(sizes, dict) else {}


def _record_size(folder: Path, name: str, size: int) -> None:
    """Sizes are entered one dump at a time, by the thread that wrote it: the build writes two dumps on its
    main thread and three beside it. The file is replaced whole (write, then rename)."""
    with _SIZES_LOCK:
        sizes = _sizes(folder) | {name: size}
        tmp = folder / f".{SIZES}.tmp"
        tmp.write_text(json.dumps(sizes, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(folder / SIZES)

