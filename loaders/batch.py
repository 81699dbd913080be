"""load_documents: many summaries, in worker processes when there are enough of them to pay for the workers.

Loading is CPU-bound Python, so threads do not help; processes do, one per core. A forked worker shares
the pipeline the parent built (1-2 s to build), so it starts at once; with another start method each
worker builds its own, which only pays off for a large batch.

Workers end with the process that started them, however it ends (SIGKILL included): see `r2pkg.graph.sandbox.end_with_parent`.
"""
from __future__ import annotations

import copyreg
import gc
import io
import multiprocessing
import os
import pickle
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import IO

from rdflib import Literal, URIRef

from r2pkg.graph.sandbox import end_with_parent

from .document import load_document
from .model import DocumentError, Fact, LoadedDocument, Span
from .nlp import pipeline
from .themes import compile_cue_patterns

# Below this many documents per worker, starting workers costs more than it saves.
MIN_DOCUMENTS_PER_WORKER = 4
# Documents a worker is sent at a time (some 0.3 s of work for summaries).
MAX_CHUNK = 16
# A worker collects cyclic garbage itself after this many documents (its collector is off: see _start_worker).
COLLECT_EVERY = 32

Source = tuple[Path | str, str | None]  # (path, slug or None for the default)


def load_documents(sources: Iterable[Source], *, workers: int | None = None) -> list[LoadedDocument | DocumentError]:
    """load_document for each (path, slug), in input order; a document that cannot be loaded gives its
    DocumentError in its place instead of stopping the others. Other exceptions propagate.

    workers: processes to use (default: one per CPU); 1, or too few documents, loads in this process.
    """
    return list(each_document(sources, workers=workers))


def each_document(sources: Iterable[Source], *, workers: int | None = None) -> Iterator[LoadedDocument | DocumentError]:
    """`load_documents` one document at a time, as each is loaded: a caller that writes each away holds one, not
    the corpus (a build of 1,000 summaries held 0.4 GB of loaded documents). The workers run until the last
    document is taken, or the iterator is closed."""
    todo = [(Path(path), slug) for path, slug in sources]
    n = _worker_count(workers, len(todo))
    if n <= 1:
        for source in todo:
            yield _outcome(_load(source))
        return
    pipeline()  # built once here, so forked workers inherit it
    compile_cue_patterns()  # and the themes' cue patterns (a tenth of a second each to compile)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    # Small chunks: no worker is left with a long last chunk while the other idles, and the parent
    # unpickles results as they come rather than all at the end.
    chunk = max(1, min(len(todo) // (n * 4), MAX_CHUNK))
    # The pipeline's objects (some 100,000) out of the collector's sight while workers run: a full collection in a
    # worker would walk them all and copy every page it touches (the fork shares them until written). And no
    # collection here while results arrive: the loaded documents hold no reference cycles, yet each full
    # collection walked all those received so far (unpickling took five times as long).
    gc.freeze()
    gc.disable()
    try:
        # The workers are all forked by this thread, at the first task map submits (Python 3.11+, fork),
        # and the pool is shut down before this function returns: so this thread outlives them, and
        # PR_SET_PDEATHSIG (which fires when the forking *thread* ends) fires only when the build dies.
        # A caller that stops taking documents (it failed) has the documents not yet started cancelled.
        pool = ProcessPoolExecutor(n, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),))
        try:
            for result in pool.map(_load_packed, todo, chunksize=chunk):
                yield _outcome(_unpacked(result))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        gc.enable()
        gc.unfreeze()


def _start_worker(parent: int) -> None:
    """A worker ends with its parent. It inherits the parent's collector switched off, and leaves it so: loading
    makes no reference cycles (none found after hundreds of summaries), while the collections its allocations
    triggered took 7% of its time. It collects by itself every COLLECT_EVERY documents, for the odd cycle (an
    exception's traceback makes one)."""
    global _loaded_here
    end_with_parent(parent)
    _loaded_here = 0


_loaded_here: int | None = None   # documents this process loaded as a worker (None: not a worker)


def _collect_now_and_then() -> None:
    global _loaded_here
    _loaded_here += 1
    if _loaded_here % COLLECT_EVERY == 0:
        gc.collect()


def _worker_count(workers: int | None, documents: int) -> int:
    wanted = workers if workers is not None else (os.cpu_count() or 1)
    return max(1, min(wanted, documents // MIN_DOCUMENTS_PER_WORKER))


def _load(source: tuple[Path, str | None]) -> LoadedDocument | tuple[str, str]:
    """Runs in a worker: the document, or (path, reason) for a DocumentError (which does not pickle)."""
    path, slug = source
    if _loaded_here is not None:  # a worker (see _start_worker), not this process loading a few documents itself
        _collect_now_and_then()
    try:
        return load_document(path, slug)
    except DocumentError as err:
        return str(err.path), err.reason


def _outcome(result: LoadedDocument | tuple[str, str]) -> LoadedDocument | DocumentError:
    return result if isinstance(result, LoadedDocument) else DocumentError(*result)


# -- results from the workers ------------------------------------------------------------------
# A loaded document is some 600 facts whose terms are rdflib URIRefs and Literals. Pickled as rdflib
# pickles them, each is made again in the parent by its constructor (a Literal parses its value: several
# microseconds each), which was most of the parent's time: the parent competes with the workers for the
# cores. Here a term is sent as its text, and the parent makes each distinct term once and reuses it.

def _load_packed(source: tuple[Path, str | None]) -> bytes:
    """Runs in a worker: `_load`'s result, pickled with the terms as text (see _TermPickler)."""
    out = io.BytesIO()
    _TermPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(_load(source))
    return out.getvalue()


def _unpacked(packed: bytes) -> LoadedDocument | tuple[str, str]:
    return pickle.loads(packed)


_TERMS: dict = {}       # in the parent: every term received, by its text (URIRefs) or (text, language, datatype)
MAX_TERMS = 200_000     # then forgotten all at once (a term made twice is equal, only not shared)


def _uri(text: str) -> URIRef:
    term = _TERMS.get(text)
    if term is None:
        if len(_TERMS) >= MAX_TERMS:
            _TERMS.clear()
        term = _TERMS[text] = URIRef(text)
    return term


def _literal(text: str, language: str | None, datatype: URIRef | None) -> Literal:
    key = (text, language, datatype)
    term = _TERMS.get(key)
    if term is None:
        if len(_TERMS) >= MAX_TERMS:
            _TERMS.clear()
        term = _TERMS[key] = Literal(text, lang=language, datatype=datatype)
    return term


def dump_terms_as_text(obj: object, out: IO[bytes]) -> None:
    """obj pickled as a worker sends a document: its terms as text, each distinct one made once when read back
    (`pickle.load` of a summary takes about a quarter of the time it takes with rdflib's own pickling)."""
    _TermPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)


class _TermPickler(pickle.Pickler):
    """Pickles URIRefs and Literals as calls of _uri and _literal (rdflib's own reductions call the constructors);
    facts and spans as calls of their constructors with their fields (by default each goes as a dict of its
    fields by name: a tenth more bytes, and a quarter more time on both sides, than the arguments alone)."""
    dispatch_table = {**copyreg.dispatch_table,
                      URIRef: lambda term: (_uri, (str(term),)),
                      Literal: lambda term: (_literal, (str(term), term.language, term.datatype)),
                      Fact: lambda fact: (Fact, (fact.subject, fact.predicate, fact.object, fact.evidence, fact.rules)),
                      Span: lambda span: (Span, (span.start, span.end))}
