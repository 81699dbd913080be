"""Fact identity and CPU per document of the loaders, in one process: for speed work that must not change a fact.

    python -m bench.loader_check corpus tests/fixtures/unseen* /tmp/syn-60            # hash of everything loaded
    python -m bench.loader_check --dump /tmp/facts.txt corpus ...                     # and the lines hashed, to diff
    python -m bench.loader_check --time 3 /tmp/syn-60                                 # + best CPU of 3 passes
    python -m bench.loader_check --parallel 2 /work/corpora/c1000                     # the build's load stage alone

Every `.txt`, `.html`, `.pdf` and `.docx` file directly in each folder is loaded with `load_document` (in this
process, in name order). The hash covers, per document, its title, every fact (subject, predicate, object with
its datatype or language, evidence span), every mention and every sentence, sorted: a speed-up that keeps the
hash keeps the loaders' output. `--time N` loads the files N more times and prints the best pass's CPU per
document (process time, so that other work on the machine counts less than in wall time; the collector as in a
worker process).

To compare with other code (the last commit, say), run this module with that code first on the import path.
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import resource
import sys
import time
from pathlib import Path

from r2pkg.loaders import LoadedDocument, load_document
from r2pkg.loaders.batch import load_documents

SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")


def documents(folders: list[Path]) -> list[Path]:
    """The documents directly in each folder (no manifests or expected-facts files), in name order."""
    return [p for folder in folders for p in sorted(folder.iterdir())
            if p.suffix.lower() in SUFFIXES and p.is_file()]


def lines_of(doc: LoadedDocument) -> list[str]:
    """What the loaders made of one document, one sorted line per fact, mention and sentence."""
    def term(t) -> str:
        extra = getattr(t, "datatype", None) or getattr(t, "language", None) or ""
        return f"{t!s}^^{extra}" if extra else str(t)

    out = [f"{doc.slug}\ttitle\t{doc.title}"]
    out += sorted(f"{doc.slug}\tfact\t{term(f.subject)}\t{term(f.predicate)}\t{term(f.object)}"
                  f"\t{f.evidence.start}:{f.evidence.end}" for f in doc.facts)
    out += sorted(f"{doc.slug}\tmention\t{m.entity}\t{m.label}\t{m.span.start}:{m.span.end}" for m in doc.mentions)
    out += sorted(f"{doc.slug}\tsentence\t{s.start}:{s.end}" for s in doc.sentences)
    return out


def cpu_per_document(paths: list[Path], passes: int) -> float:
    """The best pass's process CPU time per document, in seconds, with the garbage collector as a worker of
    `load_documents` has it (what was built before frozen, no automatic collection)."""
    best = float("inf")
    gc.freeze()
    gc.disable()
    try:
        for _ in range(passes):
            t0 = time.process_time()
            for path in paths:
                load_document(path)
            best = min(best, time.process_time() - t0)
    finally:
        gc.enable()
        gc.unfreeze()
    return best / len(paths)


def parallel_load(paths: list[Path], workers: int) -> str:
    """The load stage of a build alone (`load_documents`, as `build()` calls it): wall time, MB/s of text, and the
    CPU per document of this process and of its workers."""
    def cpu(who: int) -> float:
        usage = resource.getrusage(who)
        return usage.ru_utime + usage.ru_stime

    own, children, started = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
    load_documents([(path, None) for path in paths], workers=workers)
    wall = time.perf_counter() - started
    own, children = cpu(resource.RUSAGE_SELF) - own, cpu(resource.RUSAGE_CHILDREN) - children
    mb = sum(path.stat().st_size for path in paths) / 1e6
    n = len(paths)
    return (f"{n} documents, {mb:.2f} MB in {wall:.1f} s with {workers} workers: {mb / wall:.3f} MB/s; CPU per "
            f"document {(own + children) / n * 1000:.1f} ms (parent {own / n * 1000:.1f}, workers {children / n * 1000:.1f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--dump", type=Path, help="write the hashed lines to this file")
    parser.add_argument("--time", type=int, default=0, metavar="N", help="also time N passes (best one kept)")
    parser.add_argument("--parallel", type=int, default=0, metavar="W",
                        help="only time the parallel load with W worker processes (no hash)")
    args = parser.parse_args(argv)
    paths = documents(args.folders)
    if not paths:
        print(f"no documents in {', '.join(map(str, args.folders))}", file=sys.stderr)
        return 2
    if args.parallel:
        print(parallel_load(paths, args.parallel))
        return 0
    lines = [line for path in paths for line in lines_of(load_document(path))]
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    if args.dump:
        args.dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    facts = sum(1 for line in lines if "\tfact\t" in line)
    print(f"{len(paths)} documents, {facts} facts, {len(lines)} lines, sha256 {digest}")
    if args.time:
        print(f"CPU per document: {cpu_per_document(paths, args.time) * 1000:.1f} ms (best of {args.time})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
