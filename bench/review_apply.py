"""`r2pkg review apply` of a few decisions to a build of N synthetic summaries: by the change
(graph/reviewchange.py) against the full re-derivation from the kept documents it replaced.

    flock /work/bench.lock .venv/bin/python -m bench.review_apply 1000 [--workdir DIR]

Builds the corpus (bench.corpus) unless WORKDIR holds it, records five decisions on facts the build
extracted (three rejections, one of a type; a correction; a confirmation), applies them by the change,
withdraws one rejection and applies again, then applies the same decisions by the full re-derivation
(the served build's kept removed facts hidden, as a build made before they were kept) and checks that
both stores hold the same quads. Prints one line per measurement and the JSON of all.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import time
from pathlib import Path

import pyoxigraph as ox

from bench import corpus
from r2pkg.graph import incremental, review
from r2pkg.graph.build import apply_review, build
from r2pkg.graph.store import current_build

R2P = "https://w3id.org/r2pkg/ontology#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _facts(data_dir: Path) -> list[tuple[str, str, str, str]]:
    """Facts to decide about, with the document of one of their evidence: a participation, a host, a
    focal point, a type (of a person) and another participation."""
    store = ox.Store.read_only(str(current_build(data_dir).store))
    found = []
    for prop, kind in ((f"{R2P}hasParticipant", "state"), (f"{R2P}hostedBy", "state"),
                       (f"{R2P}hasFocalPoint", "post"), (TYPE, f"{R2P}Person")):
        obj = f"<{kind}>" if kind.startswith("http") else "?o"
        rows = store.query(f"SELECT ?s ?o ?g WHERE {{ GRAPH ?g {{ ?s <{prop}> {obj} }} "
                           f"FILTER(STRSTARTS(STR(?g), \"https://w3id.org/r2pkg/graph/document/\")) }} LIMIT 2")
        for row in rows:
            o = row["o"] if "o" in [v.value for v in rows.variables] and row["o"] is not None else ox.NamedNode(kind)
            found.append((str(row["s"]), f"<{prop}>", str(o), row["g"].value.rsplit("/", 1)[-1]))
    return found


def _digest(data_dir: Path) -> tuple[int, str]:
    """The served store's quads: how many, and a digest of their sorted hashes (blank nodes named alike)."""
    import re

    store = ox.Store.read_only(str(current_build(data_dir).store))
    hashes = sorted(hashlib.blake2b(re.sub(r"_:\w+", "_:b", str(q)).encode(), digest_size=8).digest() for q in store)
    return len(hashes), hashlib.sha256(b"".join(hashes)).hexdigest()


def _timed(label: str, run, *, wait: bool = True) -> dict:
    """One measurement; then, with `wait`, the dumps written after publishing are waited for, so that the
    next measurement does not share the cores with their process."""
    t0 = time.perf_counter()
    report = run()
    seconds = time.perf_counter() - t0
    waited = time.perf_counter()
    codes = incremental.wait_for_dumps() if wait and incremental.pending_dumps() else []
    out = {"what": label, "seconds": round(seconds, 2), "stages": report.seconds_per_stage,
           "dumps_after_publishing_s": round(time.perf_counter() - waited, 2), "dump_codes": codes,
           "decisions": report.review.get("decisions"), "total_quads": report.total_quads,
           "inferred_triples": report.inferred_triples, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
    print(f"{label}: {seconds:.1f} s  stages {report.seconds_per_stage}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("summaries", type=int)
    p.add_argument("--workdir", type=Path, default=Path("/tmp/r2pkg-bench-review"))
    p.add_argument("--reuse", action="store_true",
                   help="the build WORKDIR holds (with its decisions), not built again; by the change only, no check")
    args = p.parse_args(argv)
    corpus_dir, data_dir = args.workdir / f"corpus-{args.summaries}", args.workdir / f"data-{args.summaries}"
    results = []
    if not args.reuse:
        if not (corpus_dir / "manifest.json").is_file():
            corpus.generate(args.summaries, corpus_dir)
        shutil.rmtree(data_dir, ignore_errors=True)
        t0 = time.perf_counter()
        build([corpus_dir], data_dir)
        results = [{"what": "full build", "seconds": round(time.perf_counter() - t0, 2)}]
        print(f"full build: {results[0]['seconds']:.1f} s", flush=True)

    facts = _facts(data_dir)
    decided = []
    # a participation and a host rejected, a focal point corrected, a person's type rejected, a participation confirmed
    for (s, p_, o, _slug), kind in zip((facts[i] for i in (0, 2, 4, 6, 1)),
                                       ("reject", "reject", "correct", "reject", "confirm")):
        extra = {"correction": {"object": o.replace("focal-point", "focal-point-x")}} if kind == "correct" else {}
        d = review.new_decision("bench", kind, fact=(s, p_, o), reason="benchmark", **extra)
        review.append_decision(data_dir, d)
        decided.append(d)
    results.append(_timed(f"review apply of {len(decided)} decisions, by the change", lambda: apply_review(data_dir)))
    review.append_decision(data_dir, review.new_decision("bench", "withdraw", withdraws=decided[0].id))
    results.append(_timed("review apply of a withdrawal, by the change", lambda: apply_review(data_dir),
                          wait=not args.reuse))
    if args.reuse:
        print(json.dumps({"summaries": args.summaries, "results": results}, indent=1))
        return 0
    by_change = _digest(data_dir)
    (current_build(data_dir).incremental / incremental.REVIEWED).unlink()
    results.append(_timed("review apply, full re-derivation (before)", lambda: apply_review(data_dir)))
    full = _digest(data_dir)
    print(f"same quads: {by_change == full} ({by_change[0]:,} by the change, {full[0]:,} re-derived)")
    print(json.dumps({"summaries": args.summaries, "same_quads": by_change == full, "results": results}, indent=1))
    return 0 if by_change == full else 1


if __name__ == "__main__":
    raise SystemExit(main())
