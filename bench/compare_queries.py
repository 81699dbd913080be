"""Saved queries of two versions on one store, run alternately in one process.

    python -m bench.compare_queries DATA_DIR REF [--runs 5] [--json OUT] [NAME ...]

REF is a git revision whose queries/ are the old ones; the new ones are the working tree's. On a
shared machine the load changes from one minute to the next, so each run of a query times the old
text and then the new one, on the same open store: the load weighs on both alike, and their ratio
holds where the absolute figures do not. Beside the wall-clock p50 it gives the p50 of the process's
CPU time (the query runs in this process), which another engineer's load does not inflate. Each answer is compared too (rows and their order), as a
rewrite must not change it. Parameters are the benchmark's (bench.run.saved_params).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.run import entities, saved_params
from r2pkg.graph.backend import TripleStore
from r2pkg.graph.savedqueries import SavedQuery, load_saved_queries, query_text, store_label_resolver
from r2pkg.graph.sparql import run_query
from r2pkg.graph.store import open_store


def queries_at(ref: str, into: Path) -> dict[str, SavedQuery]:
    """The saved queries as they were at a git revision (written to `into`, then loaded)."""
    names = subprocess.run(["git", "ls-tree", "--name-only", ref, "queries/"], capture_output=True, text=True,
                           check=True).stdout.split()
    for name in names:
        text = subprocess.run(["git", "show", f"{ref}:{name}"], capture_output=True, text=True, check=True).stdout
        (into / Path(name).name).write_text(text)
    return load_saved_queries(into)


def compare(store: TripleStore, versions: dict[str, dict[str, SavedQuery]], name: str, params: dict[str, str],
            runs: int) -> dict:
    """p50 ms of each version of one query (wall clock, and CPU time as `{version}_cpu`), run alternately, and
    whether they answer alike."""
    resolver = store_label_resolver(store)
    texts = {v: query_text(q[name], params, resolver) for v, q in versions.items() if name in q}
    times: dict[str, list[float]] = {v: [] for v in texts}
    cpu: dict[str, list[float]] = {v: [] for v in texts}
    answers: dict[str, list[tuple]] = {}
    for _ in range(runs):
        for version, text in texts.items():
            t0, c0 = time.perf_counter(), time.process_time()
            result = run_query(store, text, max_rows=100_000, timeout=300)
            times[version].append((time.perf_counter() - t0) * 1000)
            cpu[version].append((time.process_time() - c0) * 1000)
            answers[version] = [tuple(str(row.get(v)) for v in result.variables) for row in result.rows]
    return {**{v: round(statistics.median(t), 1) for v, t in times.items()},
            **{f"{v}_cpu": round(statistics.median(t), 1) for v, t in cpu.items()},
            "rows": len(answers["new"]), "same_answer": len({repr(a) for a in answers.values()}) == 1}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("data_dir", type=Path)
    p.add_argument("ref", help="git revision of the old queries")
    p.add_argument("names", nargs="*", help="saved queries (default: all)")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--json", type=Path)
    args = p.parse_intermixed_args(argv)
    store = open_store(args.data_dir)
    params = saved_params(entities(store))
    with tempfile.TemporaryDirectory() as old_dir:
        versions = {"old": queries_at(args.ref, Path(old_dir)), "new": load_saved_queries()}
        out = {}
        for name in args.names or sorted(versions["new"]):
            r = out[name] = compare(store, versions, name, params.get(name, {}), args.runs)
            old = f"old {r['old']:8.1f} ms (cpu {r['old_cpu']:8.1f})  " if "old" in r else " " * 32
            print(f"{name:28} {old}new {r['new']:8.1f} ms (cpu {r['new_cpu']:8.1f})  rows {r['rows']:6}  "
                  f"{'same answer' if r['same_answer'] else 'ANSWERS DIFFER'}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0 if all(r["same_answer"] for r in out.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
