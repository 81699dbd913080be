"""The r2pkg benchmark: build, inference, store, queries, search and HTTP, beside the plain stack.

    python -m bench.run                       # summaries 10 100, graphs 100k 1m
    python -m bench.run --quick               # summaries 10, graph 100k, short HTTP runs (< ~3 min)
    python -m bench.run --summaries 10 100 1000 --triples 100k 1m 5m

Every measurement runs in a child process (`--child ...`), so each figure of peak memory is that
of one build or one graph alone. The plain stack is rdflib's in-memory store and SPARQL engine and
owlrl's full closure; they run only at sizes they can handle (owlrl up to OWLRL_CAP input
triples, extrapolated linearly above and labelled so; rdflib up to RDFLIB_CAP quads) and are
shown as ratios (plain / r2pkg: "12x" means r2pkg is 12 times faster). Targets (TARGETS) are
checked where they apply; a missed one prints "MISSED by x". Results go to stdout and, as JSON,
to --json (default bench/results/latest.json).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
OWLRL_CAP = 20_000          # owlrl: ~1.5 ms per triple
RDFLIB_CAP = 150_000        # rdflib load and SPARQL (the 100k graph is 114k quads with inference)
RDFLIB_TIMEOUT = 10         # s per rdflib query (SIGALRM: its engine is pure Python)
HUB = "https://w3id.org/r2pkg/id/state/denmark"

# name -> (limit, unit, "max" (figure must be <= limit) or "min" (>=), where it applies)
TARGETS = {
    "build_1000_s": (60.0, "s", "max", "build of 1,000 summaries end to end"),
    "build_1000_rss_mb": (2000.0, "MB", "max", "peak RSS of a build of 1,000 summaries"),
    "build_10000_s": (900.0, "s", "max", "build of 10,000 summaries end to end"),
    "build_10000_rss_mb": (3000.0, "MB", "max", "peak RSS of a build of 10,000 summaries"),
    "add_1_to_1000_s": (5.0, "s", "max", "r2pkg add of one summary to a build of 1,000"),
    "loader_mb_s": (1.0, "MB/s", "min", "loaders"),
    "inference_1m_s": (60.0, "s", "max", "1M-triple graph materialised"),
    "entity_p50_ms": (5.0, "ms", "max", "entity page data p50 (at 1M)"),
    "hub_p50_ms": (50.0, "ms", "max", "hub entity page data, paginated, p50 (at 1M)"),
    "page_model_p50_ms": (50.0, "ms", "max", "every entity page's page model p50, the hub's included (at 1M)"),
    "saved_p50_ms": (200.0, "ms", "max", "every saved query p50 (at 1M)"),
    "search_p50_ms": (20.0, "ms", "max", "search p50 (at 1M)"),
    "http_page_rps": (200.0, "req/s", "min", "full entity page over HTTP (at 1M)"),
    "server_mb": (1024.0, "MB", "max", "server memory (at 1M)"),
}


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

def parse_size(text: str) -> int:
    text = text.lower().replace("_", "").replace(",", "")
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text[:-1] if text[-1] in "km" else text) * mult)


def human(n: float) -> str:
    for unit, div in (("M", 1e6), ("k", 1e3)):
        if n >= div:
            return f"{n / div:g}{unit}"
    return str(int(n))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def timed(fn: Callable[[], object], *, reps: int = 20, budget: float = 3.0, warmup: int = 1) -> dict:
    """p50/p95 in ms of fn over up to `reps` runs within `budget` seconds (at least 3 runs)."""
    times: list[float] = []
    for _ in range(warmup):
        t0 = time.perf_counter()
        fn()
        first = (time.perf_counter() - t0) * 1000
        if first > budget * 1000 / 3:          # slow: one more run would not fit, keep the first
            return {"p50": first, "p95": first, "n": 1}
    started = time.perf_counter()
    while len(times) < reps and (len(times) < 3 or time.perf_counter() - started < budget):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return {"p50": pct(times, 0.5), "p95": pct(times, 0.95), "n": len(times)}


def check(name: str, value: float | None) -> str:
    """'' when the target is met, else 'MISSED by x'."""
    if value is None or name not in TARGETS:
        return ""
    limit, unit, kind, _ = TARGETS[name]
    if kind == "max" and value > limit:
        return f"MISSED by {value / limit:.1f}x (target <= {limit:g} {unit})"
    if kind == "min" and value < limit:
        return f"MISSED by {limit / max(value, 1e-9):.1f}x (target >= {limit:g} {unit})"
    return f"met (target {'<=' if kind == 'max' else '>='} {limit:g} {unit})"


def ratio(plain: float | None, ours: float | None) -> str:
    if not plain or not ours:
        return "-"
    return f"{plain / ours:.1f}x"


def child(kind: str, *args: str, timeout: float | None = None) -> dict:
    """Run `python -m bench.run --child kind args` and return its JSON (last stdout line)."""
    cmd = [sys.executable, "-m", "bench.run", "--child", kind, *args]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-5:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------
# child: build a synthetic corpus
# --------------------------------------------------------------------------------------------

def child_build(n: int, workdir: Path, with_shacl: bool = True) -> dict:
    from bench import corpus
    from r2pkg.graph.build import build

    if not with_shacl:
        _stub_shacl()

    corpus_dir = workdir / f"corpus-{n}"
    if not (corpus_dir / "manifest.json").is_file():
        corpus.generate(n, corpus_dir)
    text_bytes = sum(p.stat().st_size for p in corpus_dir.glob("*.txt"))
    data_dir = workdir / f"data-summaries-{n}"
    shutil.rmtree(data_dir, ignore_errors=True)
    t0 = time.perf_counter()
    report = build([corpus_dir], data_dir)
    total = time.perf_counter() - t0
    stages = dict(report.seconds_per_stage)
    out = {
        "with_shacl": with_shacl, "summaries": n, "text_mb": text_bytes / 1e6, "seconds_total": total, "stages": stages,
        "quads": report.total_quads, "asserted": report.asserted_triples, "inferred": report.inferred_triples,
        "evidence": report.evidence_triples, "errors": len(report.errors),
        "loader_mb_s": text_bytes / 1e6 / stages["load"] if stages.get("load") else None,
        "quads_per_s": report.total_quads / total, "peak_rss_mb": peak_rss_mb(),
        "disk_mb": _disk_mb(Path(os.path.realpath(data_dir / "current"))),
    }
    # Plain stack: owlrl on the same facts (capped), rdflib load and dumps of the built graph.
    from r2pkg.graph.reasoning import infer, load_ontology, owlrl_inferences
    from r2pkg.graph.store import open_store

    facts = _reasoned_input(open_store(data_dir))
    ontology = load_ontology()
    t0 = time.perf_counter()
    infer(facts, ontology)
    out["infer_s"] = time.perf_counter() - t0
    out["infer_input"] = len(facts)
    sample = facts[:OWLRL_CAP]
    t0 = time.perf_counter()
    owlrl_inferences(sample, ontology)
    owl_s = time.perf_counter() - t0
    out["owlrl_s"] = owl_s * len(facts) / len(sample)
    out["owlrl_extrapolated"] = len(sample) < len(facts)
    if out["quads"] <= RDFLIB_CAP:
        out.update(_rdflib_load_dump(data_dir))
    return out


def child_add(n: int, workdir: Path) -> dict:
    """`r2pkg add` of summary n+1 to the build of n summaries (made by child_build, or here)."""
    from bench import corpus
    from r2pkg.graph.build import add, build
    from r2pkg.graph.store import current_build

    corpus_dir, data_dir = workdir / f"corpus-{n}", workdir / f"data-summaries-{n}"
    if not (corpus_dir / "manifest.json").is_file():
        corpus.generate(n, corpus_dir)
    if current_build(data_dir) is None or not current_build(data_dir).documents.is_dir():
        build([corpus_dir], data_dir)
    extra = corpus.generate(n + 1, workdir / f"corpus-{n}-plus-one")[-1]
    t0 = time.perf_counter()
    report, added = add([extra], data_dir)
    total = time.perf_counter() - t0
    out = {"summaries": n, "seconds_total": total, "stages": dict(report.seconds_per_stage), "added": added,
           "quads": report.total_quads, "peak_rss_mb": peak_rss_mb()}
    # The dumps of an incremental add are written after publishing, by a process of their own: waited
    # for here so that the next measurement does not share the cores with it (its memory is its own).
    from r2pkg.graph import incremental
    if incremental.pending_dumps():
        codes = incremental.wait_for_dumps()
        out["dumps_after_publishing_s"] = time.perf_counter() - t0 - total
        out["dumps_exit_codes"] = codes
    return out


def child_publish(n: int, workdir: Path, virtuoso_url: str | None = None) -> dict:
    """`r2pkg build --store sparql` of n summaries, as the CLI runs it: `build()`, then
    `cli.publish_build()` to a fresh `oxigraph serve` started here and to the Virtuoso at
    `virtuoso_url` (one `.ci/virtuoso start` runs; its account dba/dba), each timed."""
    from bench import corpus
    from r2pkg.graph.build import build
    from r2pkg.graph.cli import publish_build
    from r2pkg.graph.remote import ServerConfig

    corpus_dir, data_dir = workdir / f"corpus-{n}", workdir / f"data-publish-{n}"
    if not (corpus_dir / "manifest.json").is_file():
        corpus.generate(n, corpus_dir)
    shutil.rmtree(data_dir, ignore_errors=True)
    t0 = time.perf_counter()
    report = build([corpus_dir], data_dir)
    out: dict = {"summaries": n, "quads": report.total_quads, "build_s": time.perf_counter() - t0, "servers": {}}
    location = workdir / f"oxigraph-publish-{n}"
    shutil.rmtree(location, ignore_errors=True)
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if binary:
        port = free_port()
        server = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(base + "/query?query=ASK%7B%7D")
            out["servers"]["oxigraph serve"] = _timed_publish(
                publish_build, data_dir, ServerConfig(base + "/query", base + "/update", base + "/store"))
        finally:
            server.terminate()
            server.wait(30)
        shutil.rmtree(location, ignore_errors=True)
    if virtuoso_url:
        base = virtuoso_url.rstrip("/")
        out["servers"]["virtuoso"] = _timed_publish(publish_build, data_dir, ServerConfig(
            base + "/sparql", base + "/sparql-auth", base + "/sparql-graph-crud-auth", "dba", "dba"))
    return out


def _wait_for(url: str, seconds: float = 30) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _timed_publish(publish_build, data_dir: Path, config) -> dict:
    t0 = time.perf_counter()
    summary = publish_build(data_dir, config)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "triples": summary["triples"], "graphs": summary["graphs"],
            "triples_per_s": summary["triples"] / seconds}


def print_publish(r: dict) -> None:
    if "error" in r:
        print(f"  publish failed: {r['error']}")
        return
    print(f"  build of {r['summaries']} summaries ({r['quads']:,} quads) {r['build_s']:.1f} s, then sent as "
          "`r2pkg build --store sparql` sends it:")
    for name, s in r["servers"].items():
        print(f"  {name:16} {s['seconds']:8.1f} s  {s['triples']:,} triples in {s['graphs']} graphs "
              f"({s['triples_per_s']:,.0f} triples/s)")


def print_add(r: dict) -> None:
    if "error" in r:
        print(f"  add failed: {r['error']}")
        return
    print(f"  add of 1 summary to {r['summaries']}: {r['seconds_total']:.1f} s end to end, {r['quads']:,} quads, "
          f"peak RSS {r['peak_rss_mb']:.0f} MB" + (f"   {check('add_1_to_1000_s', r['seconds_total'])}"
                                                    if r["summaries"] == 1000 else ""))
    print("  stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in r["stages"].items()))
    if "dumps_after_publishing_s" in r:
        print(f"  dumps written after publishing in {r['dumps_after_publishing_s']:.1f} s more "
              f"(exit codes {r['dumps_exit_codes']})")
    print("  " + "; ".join(r["added"]))


def _stub_shacl() -> None:
    """Replace the build's SHACL step by a no-op (--no-shacl): the other stages alone."""
    import r2pkg.graph.validate as validation

    class Skipped(validation.Validator):
        def _run(self, store, checks):
            return []

    validation.Validator = Skipped


def _reasoned_input(store) -> list[tuple]:
    """The facts the build reasons over (document graphs + gazetteer), read graph by graph so
    that the evidence (80% of the store) is never converted to rdflib terms."""
    import pyoxigraph as ox
    from r2pkg.graph.store import from_ox

    graphs = [g for g in store.named_graphs() if isinstance(g, ox.NamedNode)
              and ("/graph/document/" in g.value or g.value.endswith("/graph/gazetteer"))]
    return [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
            for g in graphs for q in store.quads_for_pattern(None, None, None, g)]


def child_shacl(k: int, workdir: Path) -> dict:
    """The SHACL stage of a real build of k summaries (the build's other stages for comparison)."""
    from bench import corpus
    from r2pkg.graph.build import build

    corpus_dir = workdir / f"corpus-{k}"
    if not (corpus_dir / "manifest.json").is_file():
        corpus.generate(k, corpus_dir)
    data_dir = workdir / f"data-shacl-{k}"
    shutil.rmtree(data_dir, ignore_errors=True)
    report = build([corpus_dir], data_dir)
    shutil.rmtree(data_dir, ignore_errors=True)
    return {"summaries": k, "quads": report.total_quads, "stages": report.seconds_per_stage,
            "shacl_s": report.seconds_per_stage.get("shacl"), "peak_rss_mb": peak_rss_mb()}


def _disk_mb(folder: Path) -> dict[str, float]:
    """A build's disk use, per part (store, dumps, documents ...) and in total, in MB."""
    parts = {part.name: sum(f.stat().st_size for f in part.rglob("*") if f.is_file()) / 1e6
             for part in folder.iterdir() if part.is_dir()}
    return parts | {"total": sum(parts.values()) + sum(f.stat().st_size for f in folder.iterdir() if f.is_file()) / 1e6}


def _nquads_dump(data_dir: Path):
    """The served build's N-Quads dump, decompressed (a build keeps its dumps gzipped: graph/dumps.py)."""
    from r2pkg.graph import dumps

    return dumps.reading(Path(os.path.realpath(data_dir / "current")) / "dumps", "graph.nq")


def _rdflib_load_dump(data_dir: Path) -> dict:
    return _rdflib_load(_nquads_dump(data_dir))


def _rdflib_load(source: IO[bytes]) -> dict:
    """The plain stack's load of N-Quads (the file closed after) and its TriG dump, timed."""
    from rdflib import Dataset

    t0 = time.perf_counter()
    ds = Dataset()
    with source as nq:
        ds.parse(source=nq, format="nquads")
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    ds.serialize(format="trig")
    return {"rdflib_load_s": load_s, "rdflib_dump_s": time.perf_counter() - t0}


# --------------------------------------------------------------------------------------------
# child: generated graph -> store, inference, dumps
# --------------------------------------------------------------------------------------------

@contextmanager
def _new_build(stores, data_dir: Path):
    """(paths, writable store) of a new build, published when the block ends; for either form of
    graph/store.py's new_build (yielding paths, or (paths, store))."""
    with stores.new_build(data_dir) as made:
        if isinstance(made, tuple):
            yield made
            return
        import pyoxigraph as ox

        store = ox.Store(str(made.store))
        try:
            yield made, store
        finally:
            store.flush()
            del store


def graph_paths(size: int, workdir: Path) -> tuple[Path, Path]:
    return workdir / f"graph-{human(size)}.nq", workdir / f"data-graph-{human(size)}"


def child_graph(size: int, workdir: Path) -> dict:
    import pyoxigraph as ox

    from bench import graphgen
    from r2pkg.graph import store as stores
    from r2pkg.graph.buildparts import write_dumps
    from r2pkg.graph.reasoning import Reasoner, load_ontology
    from r2pkg.graph.vocab import INFERRED_GRAPH

    nq, data_dir = graph_paths(size, workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    counts = graphgen.generate(size, nq)
    out = {"target": size, "quads_generated": counts.quads, "summaries": counts.documents, "facts": counts.facts,
           "generate_s": counts.seconds, "nq_mb": counts.bytes / 1e6}
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    with _new_build(stores, data_dir) as (paths, store):
        t0 = time.perf_counter()
        store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        out["store_load_s"] = time.perf_counter() - t0
        # Inference as the build runs it: document graphs + gazetteer, then the whole graph (stress).
        reasoner = Reasoner(load_ontology())
        inp = ox.NamedNode("urn:r2pkg:reasoning:input")
        facts = [ox.Quad(q.subject, q.predicate, q.object, inp) for q in store
                 if isinstance(q.graph_name, ox.NamedNode) and ("/graph/document/" in q.graph_name.value
                                                                or q.graph_name.value.endswith("/graph/gazetteer"))]
        t0 = time.perf_counter()
        derived = list(reasoner.infer_ox(iter(facts)))
        out["infer_facts_s"] = time.perf_counter() - t0
        out["infer_facts_input"] = len(facts)
        out["inferred"] = len(derived)
        g = ox.NamedNode(str(INFERRED_GRAPH))
        store.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in derived)
        if size <= 2_000_000:
            everything = [ox.Quad(q.subject, q.predicate, q.object, inp) for q in store
                          if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == str(INFERRED_GRAPH))]
            t0 = time.perf_counter()
            n = sum(1 for _ in reasoner.infer_ox(iter(everything)))
            out["infer_all_s"] = time.perf_counter() - t0
            out["infer_all_input"] = len(everything)
            out["infer_all_output"] = n
            del everything
        out["quads"] = len(store)
        from r2pkg.graph.store import add_merged_default_graph

        add_merged_default_graph(store)   # as the build does: queries read the merge, each triple once
        t0 = time.perf_counter()
        store.flush()
        import inspect

        first = next(iter(inspect.signature(write_dumps).parameters))
        write_dumps(paths.store if first == "store_path" else store, paths.dumps)   # its API changed once
        out["dumps_s"] = time.perf_counter() - t0
        store.flush()
        del store
    out["store_mb"] = sum(f.stat().st_size for f in (paths.store).rglob("*") if f.is_file()) / 1e6
    out["peak_rss_mb"] = peak_rss_mb()
    # Plain stack: owlrl on a slice of the facts, extrapolated; rdflib load + TriG dump.
    from r2pkg.graph.reasoning import owlrl_inferences
    from r2pkg.graph.store import from_ox

    ontology = load_ontology()
    sample = [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)) for q in islice(facts, OWLRL_CAP)]
    t0 = time.perf_counter()
    owlrl_inferences(sample, ontology)
    per = (time.perf_counter() - t0) / len(sample)
    out["owlrl_ms_per_triple"] = per * 1000
    out["owlrl_facts_s_extrapolated"] = per * len(facts)
    if counts.quads <= RDFLIB_CAP:
        out.update(_rdflib_load(open(nq, "rb")))      # the generated graph, as the store loaded it
    return out


# --------------------------------------------------------------------------------------------
# child: query latency (in process) on a built data dir
# --------------------------------------------------------------------------------------------

def _first(store, query: str) -> str:
    for row in store.query(query, use_default_graph_as_union=True):
        return row[0].value
    raise LookupError(query)


def entities(store) -> dict:
    r2p = "https://w3id.org/r2pkg/ontology#"
    person = _first(store, f"SELECT ?p WHERE {{ ?p a <{r2p}Person> }} LIMIT 1")
    state = _first(store, f"""SELECT ?s WHERE {{ ?m <{r2p}hasParticipant> ?s . ?s a <{r2p}State>
                                FILTER(?s NOT IN (<{HUB}>, <https://w3id.org/r2pkg/id/state/ghana>,
                                <https://w3id.org/r2pkg/id/state/australia>)) }} LIMIT 1""")
    situation = _first(store, f"SELECT ?s WHERE {{ ?s a <{r2p}AtrocitySituation> }} LIMIT 1")
    meeting = _first(store, f"SELECT ?m WHERE {{ ?m <{r2p}ordinal> ?o }} ORDER BY ?o LIMIT 1")
    ordinal = _first(store, f"SELECT ?o WHERE {{ ?m <{r2p}ordinal> ?o }} ORDER BY ?o LIMIT 1")
    try:   # a theme the sentences discuss (the generated graph has none: then one of the ontology's)
        theme = _first(store, f"SELECT ?t WHERE {{ ?s <{r2p}discussesTheme> ?t }} LIMIT 1")
    except LookupError:
        theme = f"{r2p}Genocide"
    return {"person": person, "state": state, "hub": HUB, "situation": situation, "meeting": meeting,
            "ordinal": ordinal, "theme": theme}


def saved_params(ents: dict) -> dict:
    return {"meeting-participants": {"ordinal": ents["ordinal"]},
            "meeting-recommendations": {"ordinal": ents["ordinal"]},
            "meetings-by-situation": {"situation": ents["situation"]},
            "state-profile": {"state": ents["hub"]},
            "fact-evidence": {"subject": ents["meeting"]},
            "theme-across-meetings": {"theme": ents["theme"]}}


PAGE_LIMIT = 500
LABELS = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label")
ENTITY_QUERY = """SELECT ?dir ?p ?x ?g ?label WHERE {
  { GRAPH ?g { <E> ?p ?x } BIND("out" AS ?dir) } UNION { GRAPH ?g { ?x ?p <E> } BIND("in" AS ?dir) }
  OPTIONAL { ?x <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }
}"""
HUB_QUERY = """SELECT ?dir ?p ?x ?label WHERE {
  { SELECT ?p ?x ("out" AS ?dir) WHERE { <E> ?p ?x } LIMIT 500 }
  UNION { SELECT ?p ?x ("in" AS ?dir) WHERE { ?x ?p <E> } LIMIT 500 }
  OPTIONAL { ?x <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }
}"""
RDFLIB_ENTITY_QUERY = """SELECT ?p ?x ?label WHERE {
  { <E> ?p ?x } UNION { ?x ?p <E> }
  OPTIONAL { ?x <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }
}"""
SEARCH_TERMS = ("denmark", "ministry of foreign", "focal point", "genoc", "adviser responsibility")
SEARCH_QUERY = """SELECT ?s ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l
  FILTER(CONTAINS(LCASE(STR(?l)), "Q")) } LIMIT 50"""


def entity_data(store, iri: str, limit: int | None = None) -> int:
    """The entity page's data the direct way: quads with the entity as subject or object, and labels."""
    import pyoxigraph as ox

    node = ox.NamedNode(iri)
    out = list(islice(store.quads_for_pattern(node, None, None, None), limit))
    inc = list(islice(store.quads_for_pattern(None, None, node, None), limit))
    label = ox.NamedNode(LABELS[0])
    labels = {}
    for term in {q.object for q in out} | {q.subject for q in inc}:
        if isinstance(term, ox.NamedNode):
            for q in store.quads_for_pattern(term, label, None, None):
                labels[term] = q.object
                break
    return len(out) + len(inc)


def child_queries(data_dir: Path, quads: int, budget: float, timeout: float) -> dict:
    from flask import g

    from r2pkg.graph.savedqueries import load_saved_queries, query_text, store_label_resolver
    from r2pkg.graph.store import open_store
    from r2pkg.webapp import create_app
    from r2pkg.webapp.urls import Urls

    store = open_store(data_dir)
    ents = entities(store)
    params = saved_params(ents)
    out: dict = {"entities": ents, "saved": {}, "entity": {}, "search": {}}
    queries = load_saved_queries()
    texts = {}
    from r2pkg.graph.sparql import QueryTimeout, get_pool, run_query

    pool = get_pool(data_dir, 1)
    out["query_timeout_s"] = timeout
    for name, q in queries.items():
        texts[name] = query_text(q, params.get(name, {}), store_label_resolver(store))
        run = lambda t=texts[name]: run_query(data_dir, t, timeout=timeout, pool=pool)  # noqa: E731
        try:
            t0 = time.perf_counter()
            rows = len(run().rows)
            first = (time.perf_counter() - t0) * 1000
            out["saved"][name] = {**timed(run, reps=15, budget=max(budget, first / 1000 * 3.5), warmup=0),
                                  "rows": rows}
        except QueryTimeout:
            out["saved"][name] = {"p50": timeout * 1000, "p95": timeout * 1000, "n": 0, "rows": -1,
                                  "timeout": True}
    for kind in ("person", "state", "hub"):
        iri = ents[kind]
        q = (HUB_QUERY if kind == "hub" else ENTITY_QUERY).replace("<E>", f"<{iri}>")
        run = lambda q=q: list(store.query(q, use_default_graph_as_union=True))  # noqa: E731
        rows = len(run())
        out["entity"][f"{kind}_sparql"] = {**timed(run, reps=50, budget=budget), "rows": rows}
        limit = PAGE_LIMIT if kind == "hub" else None
        run2 = lambda iri=iri, limit=limit: entity_data(store, iri, limit)  # noqa: E731
        out["entity"][f"{kind}_quads"] = {**timed(run2, reps=50, budget=budget), "rows": run2()}
    # The app: snapshot (labels, types, search index), build_page, full page render in process.
    app = create_app({"DATA_DIR": str(data_dir), "TESTING": True})
    data = app.extensions["r2pkg.graph"]
    t0 = time.perf_counter()
    data.snapshot()
    out["snapshot_s"] = time.perf_counter() - t0
    from r2pkg.webapp.bp_entity import build_page

    client = app.test_client()
    for kind in ("person", "state", "hub"):
        iri = ents[kind]
        with app.test_request_context("/"):
            g.urls = Urls("")
            out["entity"][f"{kind}_build_page"] = timed(lambda iri=iri: build_page(iri), reps=30, budget=budget)
            # A build's first request for the page: nothing of it kept yet (a crawl of distinct busy pages).
            out["entity"][f"{kind}_first_build_page"] = timed(lambda iri=iri: _first_page(data, build_page, iri),
                                                              reps=10, budget=budget)
        path = "/page/" + iri.split("/id/", 1)[1]
        out["entity"][f"{kind}_render"] = timed(lambda path=path: client.get(path), reps=30, budget=budget)
    index = data.snapshot().index
    for term in SEARCH_TERMS:
        out["search"][term] = timed(lambda term=term: index.search(term, limit=50), reps=30, budget=budget / 2)
        q = SEARCH_QUERY.replace("Q", term)
        out["search"][term + " (sparql contains)"] = timed(
            lambda q=q: list(store.query(q, use_default_graph_as_union=True)), reps=10, budget=budget / 2)
    out["peak_rss_mb"] = peak_rss_mb()
    if quads <= RDFLIB_CAP:
        out["rdflib"] = _rdflib_queries(data_dir, texts, ents, budget)
    return out


def _first_page(data, build_page: Callable, iri: str):
    """The page model as a build's first request for it makes it: the counts and models kept per build dropped."""
    snapshot = data.snapshot()
    snapshot.entity_pages.clear()
    snapshot.page_counts.clear()
    return build_page(iri)


def _rdflib_queries(data_dir: Path, texts: dict, ents: dict, budget: float) -> dict:
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    with _nquads_dump(data_dir) as nq:
        ds.parse(source=nq, format="nquads")
    res: dict = {"saved": {}, "entity": {}, "search": {}}
    def alarm(_signum, _frame):
        raise TimeoutError

    signal.signal(signal.SIGALRM, alarm)
    for name, text in texts.items():
        signal.alarm(RDFLIB_TIMEOUT)
        try:
            res["saved"][name] = timed(lambda t=text: list(ds.query(t)), reps=3, budget=budget)
        except TimeoutError:
            res["saved"][name] = {"error": f"> {RDFLIB_TIMEOUT} s", "timeout": True}
        except Exception as exc:  # noqa: BLE001 - rdflib may not run every query
            res["saved"][name] = {"error": str(exc)[:100]}
        finally:
            signal.alarm(0)
    for kind in ("person", "state", "hub"):
        q = RDFLIB_ENTITY_QUERY.replace("<E>", f"<{ents[kind]}>")
        res["entity"][f"{kind}_sparql"] = timed(lambda q=q: list(ds.query(q)), reps=10, budget=budget)
    for term in SEARCH_TERMS:
        q = SEARCH_QUERY.replace("Q", term)
        res["search"][term] = timed(lambda q=q: list(ds.query(q)), reps=3, budget=budget / 2, warmup=0)
    return res


# --------------------------------------------------------------------------------------------
# HTTP: `r2pkg serve` in a subprocess, concurrent http.client clients
# --------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return pids


def tree_rss_mb(pid: int) -> float:
    total = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def load_test(port: int, path: str, clients: int, seconds: float, headers: dict | None = None) -> dict:
    """One path asked again and again by `clients` keep-alive clients for `seconds`."""
    deadline = time.perf_counter() + seconds
    return _clients(port, clients, lambda: path if time.perf_counter() < deadline else None, headers or {}, 30)


def crawl_test(port: int, paths: list[str], clients: int) -> dict:
    """Each path asked once, the clients taking the next one as they finish (keep-alive): a crawl of distinct
    pages, which no rendered page or kept page model answers, since each is asked for the first time."""
    todo = list(reversed(paths))
    lock = threading.Lock()

    def next_path() -> str | None:
        with lock:
            return todo.pop() if todo else None

    return _clients(port, clients, next_path, {}, 60) | {"distinct": len(set(paths))}


def _clients(port: int, clients: int, next_path: Callable[[], str | None], headers: dict, timeout: float) -> dict:
    """`clients` keep-alive clients, each asking `next_path()` until it says None: requests per second and
    latency percentiles (ms) of the answered ones; a status other than 200 counts as an error, and a failed
    connection too (not timed)."""
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        mine = []
        while (path := next_path()) is not None:
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    errors[0] += 1
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                continue
            mine.append((time.perf_counter() - t0) * 1000)
        conn.close()
        with lock:
            lat.extend(mine)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for f in [pool.submit(worker) for _ in range(clients)]:
            f.result()
    elapsed = time.perf_counter() - started
    return {"rps": len(lat) / elapsed, "p50": pct(lat, 0.5), "p95": pct(lat, 0.95), "n": len(lat),
            "errors": errors[0]}


CRAWLED_CLASSES = ("State", "Meeting")      # busy pages: a state in tens of meetings, a meeting's participants


def crawl_paths(store) -> list[str]:
    """The page of every state and every meeting of the graph (at 1M: 180 states in 20 to 231 meetings each,
    232 meetings), in IRI order."""
    r2p = "https://w3id.org/r2pkg/ontology#"
    found = set()
    for cls in CRAWLED_CLASSES:
        found |= {row[0].value for row in store.query(f"SELECT DISTINCT ?s WHERE {{ ?s a <{r2p}{cls}> }}",
                                                      use_default_graph_as_union=True)
                  if "/id/" in row[0].value}
    return ["/page/" + iri.split("/id/", 1)[1] for iri in sorted(found)]


def http_bench(data_dir: Path, clients: int, seconds: float) -> dict:
    from r2pkg.graph.store import open_store

    store = open_store(data_dir)
    ents = entities(store)
    crawl = crawl_paths(store)
    del store
    port = free_port()
    cmd = [str(Path(sys.executable).parent / "r2pkg"), "serve", "--host", "127.0.0.1", "--port", str(port),
           "--data-dir", str(data_dir)]
    t0 = time.perf_counter()
    # The server logs a line per request: to a file, never to a pipe nobody reads while the clients
    # run. A full pipe (64 KB, ~700 requests) blocks the logging call in every waitress thread,
    # which is what "hung" the server in the earlier benchmark runs.
    log_path = data_dir.parent / f"serve-{data_dir.name}.log"
    log = open(log_path, "wb")
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    out: dict = {"clients": clients, "seconds": seconds, "endpoints": {}, "server_log": str(log_path)}
    try:
        while True:
            if server.poll() is not None:
                return {"error": log_path.read_text(errors="replace")[-500:]}
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/search?q=a&format=json")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
            if time.perf_counter() - t0 > 300:
                return {"error": "server did not start in 300 s"}
        out["startup_s"] = time.perf_counter() - t0
        out["rss_idle_mb"] = tree_rss_mb(server.pid)
        peak = [out["rss_idle_mb"]]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], tree_rss_mb(server.pid))
                stop.wait(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        sparql_q = f"SELECT ?p ?o WHERE {{ <{ents['person']}> ?p ?o }}"
        # Pages last: a slow page leaves a backlog in waitress's queue after its clients stop.
        endpoints = {
            "data person (.ttl)": "/data/" + ents["person"].split("/id/", 1)[1] + ".ttl",
            "saved query meetings (api)": "/api/queries/meetings",
            "saved query state-profile (api)": "/api/queries/state-profile?" + urllib.parse.urlencode({"state": HUB}),
            "sparql endpoint (lookup)": "/sparql?" + urllib.parse.urlencode({"query": sparql_q}),
            "search": "/search?q=denmark&format=json",
            "page person": "/page/" + ents["person"].split("/id/", 1)[1],
            "page state": "/page/" + ents["state"].split("/id/", 1)[1],
            "page hub": "/page/" + HUB.split("/id/", 1)[1],
        }
        for name, path in endpoints.items():
            headers = {"Accept": "application/sparql-results+json"} if name.startswith("sparql") else None
            out["endpoints"][name] = load_test(port, path, clients, seconds, headers)
        # Last: distinct busy pages, each asked once (what a crawler or many readers of different pages cost).
        out["endpoints"]["page crawl (distinct states and meetings)"] = crawl_test(port, crawl, clients)
        stop.set()
        sampler.join()
        out["rss_peak_mb"] = peak[0]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
    return out


# --------------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------------

def machine() -> dict:
    import importlib.metadata as md

    info = {"python": platform.python_version(), "platform": platform.platform(), "nproc": os.cpu_count()}
    try:
        info["cpu"] = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
        info["ram_gb"] = round(int(next(line.split()[1] for line in open("/proc/meminfo")
                                        if line.startswith("MemTotal"))) / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    info["packages"] = {}
    for pkg in ("pyoxigraph", "rdflib", "owlrl", "spacy", "flask", "waitress"):
        try:
            info["packages"][pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    return info


def fmt_ms(d: dict | None) -> str:
    if not d or "p50" not in d:
        return (d or {}).get("error", "-")[:40] if d else "-"
    return f"{d['p50']:8.2f} / {d['p95']:8.2f}"


def print_build(r: dict) -> None:
    if "error" in r:
        print(f"  build failed: {r['error']}")
        return
    st = r["stages"]
    print(f"  {r['summaries']} summaries, {r['text_mb']:.2f} MB of text, {r['quads']:,} quads "
          f"({r['asserted']:,} asserted, {r['evidence']:,} evidence, {r['inferred']:,} inferred), "
          f"{r['errors']} refused")
    time_target = {1000: "build_1000_s", 10000: "build_10000_s"}.get(r["summaries"])
    print(f"  end to end {r['seconds_total']:.1f} s  ({r['quads_per_s']:,.0f} quads/s)"
          + (f"   {check(time_target, r['seconds_total'])}" if time_target else ""))
    rss_target = {1000: "build_1000_rss_mb", 10000: "build_10000_rss_mb"}.get(r["summaries"])
    print(f"  peak RSS of the build {r['peak_rss_mb']:.0f} MB" + (f"   {check(rss_target, r['peak_rss_mb'])}"
                                                                  if rss_target else ""))
    if "disk_mb" in r:
        print(f"  on disk {r['disk_mb']['total']:,.0f} MB (" + ", ".join(
            f"{k} {v:,.0f}" for k, v in r["disk_mb"].items() if k != "total") + ")")
    print("  stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in st.items())
          + ("" if r.get("with_shacl") else "   (SHACL stubbed out by --no-shacl)"))
    print(f"  loaders {r['loader_mb_s']:.3f} MB/s   {check('loader_mb_s', r['loader_mb_s'])}")
    label = "extrapolated" if r["owlrl_extrapolated"] else "measured"
    print(f"  inference (infer, {r['infer_input']:,} facts) {r['infer_s']:.2f} s   owlrl {r['owlrl_s']:.1f} s "
          f"({label})  ratio {ratio(r['owlrl_s'], r['infer_s'])}")
    if "rdflib_load_s" in r:
        print(f"  rdflib: parse graph.nq {r['rdflib_load_s']:.2f} s, serialize TriG {r['rdflib_dump_s']:.2f} s "
              f"(r2pkg store {st.get('store', 0):.2f} s, dumps {st.get('dumps', 0):.2f} s)")


def print_graph(r: dict) -> None:
    if "error" in r:
        print(f"  graph failed: {r['error']}")
        return
    print(f"  {r['quads']:,} quads after inference ({r['summaries']} summaries, {r['facts']:,} facts); "
          f"generated {r['quads_generated']:,} in {r['generate_s']:.1f} s ({r['nq_mb']:.0f} MB N-Quads)")
    print(f"  store bulk load {r['store_load_s']:.2f} s ({r['quads_generated'] / r['store_load_s']:,.0f} quads/s)"
          + (f"   rdflib parse {r['rdflib_load_s']:.1f} s  ratio {ratio(r['rdflib_load_s'], r['store_load_s'])}"
             if "rdflib_load_s" in r else "   rdflib: not run (over cap)"))
    print(f"  inference, build input ({r['infer_facts_input']:,} facts): {r['infer_facts_s']:.2f} s -> "
          f"{r['inferred']:,} inferred   owlrl {r['owlrl_facts_s_extrapolated']:.0f} s (extrapolated from "
          f"{OWLRL_CAP:,} at {r['owlrl_ms_per_triple']:.2f} ms/triple)  ratio "
          f"{ratio(r['owlrl_facts_s_extrapolated'], r['infer_facts_s'])}")
    if "infer_all_s" in r:
        line = (f"  inference, whole graph ({r['infer_all_input']:,} triples): {r['infer_all_s']:.2f} s "
                f"({r['infer_all_input'] / r['infer_all_s']:,.0f} triples/s)")
        if r["target"] >= 1_000_000:
            line += "   " + check("inference_1m_s", r["infer_all_s"] * 1_000_000 / r["infer_all_input"])
        print(line)
    print(f"  dumps (TriG, N-Quads, JSON-LD, Turtle, N-Triples) {r['dumps_s']:.2f} s"
          + (f"   rdflib TriG alone {r['rdflib_dump_s']:.1f} s" if "rdflib_dump_s" in r else ""))
    print(f"  store on disk {r['store_mb']:.0f} MB, peak RSS {r['peak_rss_mb']:.0f} MB")


def print_queries(r: dict) -> None:
    if "error" in r:
        print(f"  queries failed: {r['error']}")
        return
    rd = r.get("rdflib", {})
    print(f"  {'saved query':32} {'p50 / p95 ms':>20} {'rows':>6} {'rdflib p50 ms':>14} {'ratio':>8}")
    for name, d in r["saved"].items():
        plain = rd.get("saved", {}).get(name)
        plain_text = f"{plain['p50']:.1f}" if plain and "p50" in plain else (plain or {}).get("error", "-")[:14]
        print(f"  {name:32} {fmt_ms(d):>20} {d['rows']:>6} {plain_text:>14} "
              f"{ratio(plain.get('p50') if plain else None, d['p50']):>8}  {check('saved_p50_ms', d['p50'])}")
    print(f"  {'entity page data':32} {'p50 / p95 ms':>20} {'quads':>6}")
    for name, d in r["entity"].items():
        target = "hub_p50_ms" if name.startswith("hub") else "entity_p50_ms"
        plain = rd.get("entity", {}).get(name)
        extra = f"  rdflib {plain['p50']:.1f} ms ratio {ratio(plain['p50'], d['p50'])}" if plain else ""
        target = "page_model_p50_ms" if name.endswith("_build_page") else target
        note = check(target, d["p50"]) if name.endswith(("_sparql", "_quads", "_build_page")) else "(full HTML, no target)"
        print(f"  {name:32} {fmt_ms(d):>20} {d.get('rows', ''):>6}  {note}{extra}")
    print(f"  app snapshot (labels, types, search index) {r['snapshot_s']:.2f} s")
    print(f"  {'search':32} {'p50 / p95 ms':>20}")
    for name, d in r["search"].items():
        plain = rd.get("search", {}).get(name)
        extra = f"  rdflib CONTAINS {plain['p50']:.1f} ms" if plain else ""
        note = check("search_p50_ms", d["p50"]) if "sparql" not in name else ""
        print(f"  {name:32} {fmt_ms(d):>20}         {note}{extra}")


def print_http(r: dict) -> None:
    if "error" in r:
        print(f"  http failed: {r['error']}")
        return
    print(f"  server start {r['startup_s']:.1f} s; RSS (server + query workers) idle {r['rss_idle_mb']:.0f} MB, "
          f"peak {r['rss_peak_mb']:.0f} MB   {check('server_mb', r['rss_peak_mb'])}")
    print(f"  {r['clients']} clients, {r['seconds']:g} s each  {'endpoint':32} {'req/s':>8} {'p50 / p95 ms':>20} {'err':>4}")
    for name, d in r["endpoints"].items():
        note = check("http_page_rps", d["rps"]) if name.startswith("page") else ""
        print(f"  {'':26}{name:32} {d['rps']:8.1f} {fmt_ms(d):>20} {d['errors']:>4}  {note}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--summaries", nargs="*", type=int, default=None, help="corpus sizes to build (default 10 100)")
    p.add_argument("--triples", nargs="*", default=None, help="graph sizes: 100k 1m 5m (default 100k 1m)")
    p.add_argument("--quick", action="store_true", help="10 summaries, 100k triples, 3 s HTTP runs")
    p.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "r2pkg-bench")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--http-seconds", type=float, default=None)
    p.add_argument("--no-http", action="store_true")
    p.add_argument("--query-timeout", type=float, default=None,
                   help="time limit of each saved query run (through the app's worker pool); default 20 s, quick 10 s")
    p.add_argument("--no-shacl", action="store_true",
                   help="stub the SHACL stage out of the builds (it is part of them by default)")
    p.add_argument("--with-shacl", action="store_true", help=argparse.SUPPRESS)   # the default now
    p.add_argument("--shacl-docs", type=int, nargs="*", default=None,
                   help="measure the SHACL stage alone on the first K documents (default 1 2, quick 1)")
    p.add_argument("--no-add", action="store_true", help="skip `r2pkg add` of one summary to each build")
    p.add_argument("--publish", type=int, nargs="*", default=[],
                   help="builds of N summaries sent to SPARQL servers as `r2pkg build --store sparql` sends them")
    p.add_argument("--virtuoso", default=os.environ.get("R2PKG_TEST_VIRTUOSO"),
                   help="a Virtuoso to publish to (.ci/virtuoso start prints its URL); default $R2PKG_TEST_VIRTUOSO")
    p.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    p.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.child:
        kind, *rest = args.child
        if kind == "build":
            result = child_build(int(rest[0]), Path(rest[1]), rest[2:] != ["noshacl"])
        elif kind == "add":
            result = child_add(int(rest[0]), Path(rest[1]))
        elif kind == "publish":
            result = child_publish(int(rest[0]), Path(rest[1]), rest[2] if len(rest) > 2 else None)
        elif kind == "shacl":
            result = child_shacl(int(rest[0]), Path(rest[1]))
        elif kind == "graph":
            result = child_graph(int(rest[0]), Path(rest[1]))
        elif kind == "queries":
            result = child_queries(Path(rest[0]), int(rest[1]), float(rest[2]), float(rest[3]))
        elif kind == "http":
            result = http_bench(Path(rest[0]), int(rest[1]), float(rest[2]))
        else:
            raise SystemExit(f"unknown child {kind}")
        print(json.dumps(result, default=str))
        return 0

    summaries = args.summaries if args.summaries is not None else ([10] if args.quick else [10, 100])
    triples = [parse_size(t) for t in (args.triples if args.triples is not None else (["100k"] if args.quick else ["100k", "1m"]))]
    http_seconds = args.http_seconds or (2.0 if args.quick else 8.0)
    args.query_timeout = args.query_timeout or (10.0 if args.quick else 20.0)
    shacl_docs = args.shacl_docs if args.shacl_docs is not None else ([1] if args.quick else [1, 2])
    budget = 1.0 if args.quick else 4.0
    args.workdir.mkdir(parents=True, exist_ok=True)
    command = "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:])
    results: dict = {"command": command, "machine": machine(), "loadavg_start": os.getloadavg(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
                     "targets": TARGETS, "builds": {}, "graphs": {}}
    m = results["machine"]
    print(f"r2pkg benchmark: {command}\nmachine: {m.get('cpu')} x{m['nproc']}, {m.get('ram_gb')} GB RAM, "
          f"Python {m['python']}, " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()))
    print("ratios: plain stack time / r2pkg time (higher is better for r2pkg)\n")
    t_all = time.perf_counter()
    for n in summaries:
        print(f"== build: {n} synthetic summaries")
        r = results["builds"][n] = child("build", str(n), str(args.workdir), *(["noshacl"] if args.no_shacl else []))
        print_build(r)
        if not args.no_add:
            results.setdefault("adds", {})[n] = a = child("add", str(n), str(args.workdir))
            print_add(a)
        print()
    if args.no_shacl and shacl_docs:
        print("== SHACL stage alone, real builds of K summaries")
        results["shacl"] = {}
        for k in shacl_docs:
            r = results["shacl"][k] = child("shacl", str(k), str(args.workdir))
            if "error" in r:
                print(f"  {k}: failed {r['error']}")
                continue
            rest = sum(v for name, v in r["stages"].items() if name != "shacl")
            print(f"  {k} summaries ({r['quads']:,} quads): SHACL {r['shacl_s']:.1f} s, all other stages {rest:.1f} s")
        print()
    for n in args.publish:
        print(f"== publish: {n} synthetic summaries to SPARQL servers")
        r = results.setdefault("publish", {})[n] = child("publish", str(n), str(args.workdir),
                                                         *([args.virtuoso] if args.virtuoso else []))
        print_publish(r)
        print()
    for size in triples:
        print(f"== graph: {human(size)} triples")
        g = child("graph", str(size), str(args.workdir))
        results["graphs"][size] = {"graph": g}
        print_graph(g)
        if "error" in g:
            continue
        data_dir = graph_paths(size, args.workdir)[1]
        q = child("queries", str(data_dir), str(g["quads"]), str(budget), str(args.query_timeout))
        results["graphs"][size]["queries"] = q
        print_queries(q)
        if not args.no_http:
            h = child("http", str(data_dir), str(args.clients), str(http_seconds))
            results["graphs"][size]["http"] = h
            print_http(h)
        print()
    results["seconds"] = time.perf_counter() - t_all
    results["loadavg_end"] = os.getloadavg()
    from .targets import markdown

    print("\n== targets (bench/targets.py)\n" + markdown(json.loads(json.dumps(results, default=str))) + "\n")
    print(f"load average at start {results['loadavg_start'][0]:.1f}, at end {results['loadavg_end'][0]:.1f} "
          f"(other processes share the {m['nproc']} CPUs)")
    print(f"total {results['seconds']:.0f} s")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(f"results: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
