"""Load test: N concurrent clients against `r2pkg serve` on loopback, with a runaway query mixed in.

    python -m bench.load --data-dir /tmp/data                  # starts r2pkg serve itself, 8 clients, 60 s
    python -m bench.load --url http://127.0.0.1:5088 --clients 16 --seconds 30
    python -m bench.load --data-dir /tmp/data --seconds 10 --json out.json

The clients request, at random, the home page, entity pages, search pages and type-ahead suggestions,
saved-query pages and their API, and small queries on the SPARQL endpoint. One more client sends a
runaway query (a cross product of all triples with itself three times) every --runaway-every seconds;
the server must stop it at its time limit while the others go on being served.

Bounded and self-stopping: loopback URLs only (anything else is refused), at most --seconds of load and
--max-requests requests, every request with a timeout; a server this tool started is stopped at the end.

Reported: requests per second, latency percentiles (all requests; and those made while a runaway query
was running), error count (5xx, other HTTP errors, connection errors), the runaway queries' status and
time, and the memory (RSS) of the server process and its query workers: after warm-up, peak and at the end.
"""
from __future__ import annotations

import argparse
import ipaddress
import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SMALL_QUERIES = [
    "PREFIX r2p: <https://w3id.org/r2pkg/ontology#> SELECT ?m ?o WHERE { ?m r2p:ordinal ?o } ORDER BY ?o",
    "SELECT ?class (COUNT(*) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) LIMIT 20",
    "ASK { ?s ?p ?o }",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?s ?l WHERE { ?s skos:prefLabel ?l } LIMIT 50",
]
SEARCH_WORDS = ["spain", "focal point", "genocide", "madrid", "recommendation", "ghana", "prevention", "qat", "den"]
JSON = {"Accept": "application/sparql-results+json"}


@dataclass
class Report:
    url: str
    clients: int
    seconds: float
    requests: int = 0
    requests_per_second: float = 0.0
    latency_ms: dict = field(default_factory=dict)
    latency_during_runaway_ms: dict = field(default_factory=dict)
    errors_5xx: int = 0
    errors_other_http: int = 0
    errors_connection: int = 0
    statuses: dict = field(default_factory=dict)
    by_kind: dict = field(default_factory=dict)
    runaway: list = field(default_factory=list)
    slow_clients: dict = field(default_factory=dict)
    rss_mb: dict = field(default_factory=dict)

    def render(self) -> str:
        lat, run, rss = self.latency_ms, self.latency_during_runaway_ms, self.rss_mb
        lines = [
            f"Load on {self.url}: {self.clients} clients for {self.seconds:.1f} s",
            f"  requests           {self.requests} ({self.requests_per_second:.1f}/s)",
            f"  latency ms         p50 {lat.get('p50', 0):.1f}  p90 {lat.get('p90', 0):.1f}  "
            f"p99 {lat.get('p99', 0):.1f}  max {lat.get('max', 0):.1f}",
            f"  during runaway ms  p50 {run.get('p50', 0):.1f}  p90 {run.get('p90', 0):.1f}  "
            f"p99 {run.get('p99', 0):.1f}  max {run.get('max', 0):.1f}  (n={run.get('n', 0)})",
            f"  errors             5xx {self.errors_5xx}, other HTTP {self.errors_other_http}, "
            f"connection {self.errors_connection}",
            f"  statuses           {self.statuses}",
            "  by kind            " + ", ".join(f"{k} {v['n']} (p90 {v['p90']:.0f} ms)" for k, v in self.by_kind.items()),
            "  runaway queries    " + (", ".join(f"{r['status']} in {r['seconds']:.2f} s" for r in self.runaway) or "none"),
            f"  slow clients       {self.slow_clients.get('clients', 0)} looping the runaway query: "
            f"{self.slow_clients.get('statuses') or 'none'}",
            f"  server RSS MB      after warm-up {rss.get('start', 0):.0f}, peak {rss.get('peak', 0):.0f}, "
            f"end {rss.get('end', 0):.0f} (growth {rss.get('growth', 0):+.0f}; server + workers)",
        ]
        return "\n".join(lines)


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    values = sorted(values)

    def at(q: float) -> float:
        return values[min(len(values) - 1, int(q * len(values)))]

    return {"n": len(values), "p50": at(0.50), "p90": at(0.90), "p99": at(0.99), "max": values[-1],
            "mean": statistics.fmean(values)}


def require_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        ok = ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = host == "localhost"
    if not ok:
        raise SystemExit(f"bench.load: {url} is not a loopback address; this tool only loads a local server")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, port: int) -> subprocess.Popen:
    import requests

    proc = subprocess.Popen([sys.executable, "-c", "from r2pkg.graph.cli import main; raise SystemExit(main())",
                             "serve", "--data-dir", str(data_dir), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"bench.load: r2pkg serve exited with status {proc.returncode}")
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=5)
            return proc
        except requests.ConnectionError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("bench.load: the server did not start within 90 s")


def server_rss_mb(pid: int) -> float:
    """RSS of the server process and all its descendants (query workers, forkserver), in MB."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root] + root.children(recursive=True)
    except psutil.Error:
        return 0.0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def discover_targets(url: str) -> list[tuple[str, str, dict]]:
    """(kind, path, headers) the clients choose from: entity pages and saved queries found on the server."""
    import requests

    targets: list[tuple[str, str, dict]] = [("home", "/", {})]
    r = requests.get(url + "/sparql", params={"query": "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                                              "SELECT DISTINCT ?s WHERE { ?s skos:prefLabel ?l "
                                              "FILTER(STRSTARTS(STR(?s), 'https://w3id.org/r2pkg/id/')) "
                                              "FILTER(!CONTAINS(STR(?s), '#')) } LIMIT 60"},
                     headers=JSON, timeout=30)
    r.raise_for_status()
    for b in r.json()["results"]["bindings"]:
        iri = b["s"]["value"]
        path = iri[len("https://w3id.org/r2pkg/id/"):]
        if not path.startswith("document/"):
            targets.append(("entity", "/page/" + quote(path), {}))
    r = requests.get(url + "/sparql", params={"query": "SELECT ?d WHERE { ?d a <https://w3id.org/r2pkg/ontology#Document> }"},
                     headers=JSON, timeout=30)
    for b in r.json()["results"]["bindings"]:
        targets.append(("document", "/document/" + quote(b["d"]["value"].rsplit("/", 1)[1]), {}))
    spec = requests.get(url + "/api/openapi.json", timeout=30).json()
    for api_path, ops in spec.get("paths", {}).items():
        params = ops.get("get", {}).get("parameters", [])
        if not any(p.get("required") for p in params):
            targets.append(("api", api_path, {}))
            targets.append(("query-page", api_path.replace("/api/queries/", "/queries/"), {}))
    for word in SEARCH_WORDS:
        targets.append(("search", "/search?q=" + quote(word), {}))
        targets.append(("suggest", "/search/suggest?q=" + quote(word[:3]), {"Accept": "application/json"}))
    for q in SMALL_QUERIES:
        targets.append(("sparql", "/sparql?query=" + quote(q), JSON))
    return targets


def client_session(n: int, url: str):
    """A session for load client `n`, sending from its own loopback address (127.0.0.2, .3, ...) when the
    server is on 127.0.0.1: the server tells clients apart by address and shares query time among them,
    so one address for all would make the load one client."""
    import requests
    from requests.adapters import HTTPAdapter

    class FromAddress(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            kwargs["source_address"] = (f"127.0.0.{2 + n % 250}", 0)
            super().init_poolmanager(*args, **kwargs)

    session = requests.Session()
    if urlsplit(url).hostname == "127.0.0.1":
        session.mount("http://", FromAddress())
    return session


def run_load(url: str, *, clients: int = 8, seconds: float = 60.0, max_requests: int = 200_000,
             runaway_every: float = 10.0, slow_clients: int = 0, server_pid: int | None = None,
             warmup: float = 2.0, seed: int = 1) -> Report:
    """Load `url` (loopback) with `clients` threads for `seconds` (or `max_requests`); see the module doc.
    `slow_clients` more clients, each from its own address, loop the runaway query the whole time."""
    import requests

    require_loopback(url)
    url = url.rstrip("/")
    targets = discover_targets(url)
    rng = random.Random(seed)
    lock = threading.Lock()
    samples: list[tuple[float, float, str, int]] = []    # (start, latency ms, kind, status; 0 = connection error)
    runaway_windows: list[tuple[float, float]] = []
    runaway_results: list[dict] = []
    rss: list[float] = []
    stop = threading.Event()
    budget = [max_requests]
    slow_statuses: dict[str, int] = {}

    def take() -> bool:
        with lock:
            if budget[0] <= 0:
                return False
            budget[0] -= 1
            return True

    def client(n: int) -> None:
        session = client_session(n, url)
        local = random.Random(rng.random() + n)
        while not stop.is_set() and take():
            kind, path, headers = local.choice(targets)
            t0 = time.monotonic()
            try:
                status = session.get(url + path, headers=headers, timeout=30).status_code
            except requests.RequestException:
                status = 0
            with lock:
                samples.append((t0, (time.monotonic() - t0) * 1000, kind, status))

    def runaway() -> None:
        session = client_session(clients, url)
        while not stop.wait(runaway_every / 2):
            t0 = time.monotonic()
            try:
                r = session.get(url + "/sparql", params={"query": RUNAWAY}, headers=JSON, timeout=60)
                status = r.status_code
            except requests.RequestException:
                status = 0
            t1 = time.monotonic()
            with lock:
                runaway_windows.append((t0, t1))
                runaway_results.append({"status": status, "seconds": round(t1 - t0, 3)})
            if stop.wait(runaway_every / 2):
                break

    def slow(n: int) -> None:
        session = client_session(clients + 1 + n, url)
        while not stop.is_set():
            try:
                status = session.get(url + "/sparql", params={"query": RUNAWAY}, headers=JSON, timeout=60).status_code
            except requests.RequestException:
                status = 0
            with lock:
                slow_statuses[str(status)] = slow_statuses.get(str(status), 0) + 1
            if status == 429:
                stop.wait(1.0)

    def sampler() -> None:
        while not stop.wait(0.5):
            if server_pid:
                rss.append(server_rss_mb(server_pid))

    # warm-up: every target once, so caches and workers are in their steady state before memory is read
    warm = requests.Session()
    for _kind, path, headers in targets:
        warm.get(url + path, headers=headers, timeout=30)
    time.sleep(warmup)
    rss_start = server_rss_mb(server_pid) if server_pid else 0.0

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    if runaway_every > 0:
        threads.append(threading.Thread(target=runaway, daemon=True))
    threads += [threading.Thread(target=slow, args=(i,), daemon=True) for i in range(slow_clients)]
    threads.append(threading.Thread(target=sampler, daemon=True))
    started = time.monotonic()
    for t in threads:
        t.start()
    while time.monotonic() - started < seconds and budget[0] > 0:
        time.sleep(0.1)
    stop.set()
    for t in threads:
        t.join(65)
    elapsed = time.monotonic() - started
    time.sleep(1.0)
    rss_end = server_rss_mb(server_pid) if server_pid else 0.0

    report = Report(url=url, clients=clients, seconds=round(elapsed, 2))
    report.requests = len(samples)
    report.requests_per_second = round(len(samples) / elapsed, 1) if elapsed else 0.0
    report.latency_ms = {k: round(v, 1) for k, v in percentiles([s[1] for s in samples]).items()}
    during = [s[1] for s in samples if any(a <= s[0] <= b for a, b in runaway_windows)]
    report.latency_during_runaway_ms = {k: round(v, 1) for k, v in percentiles(during).items()}
    statuses: dict[str, int] = {}
    for s in samples:
        statuses[str(s[3])] = statuses.get(str(s[3]), 0) + 1
    report.statuses = dict(sorted(statuses.items()))
    report.errors_5xx = sum(1 for s in samples if s[3] >= 500)
    report.errors_other_http = sum(1 for s in samples if 400 <= s[3] < 500)
    report.errors_connection = sum(1 for s in samples if s[3] == 0)
    kinds = sorted({s[2] for s in samples})
    report.by_kind = {k: {key: round(v, 1) for key, v in percentiles([s[1] for s in samples if s[2] == k]).items()}
                      for k in kinds}
    report.runaway = runaway_results
    report.slow_clients = {"clients": slow_clients, "statuses": dict(sorted(slow_statuses.items()))}
    if server_pid:
        report.rss_mb = {"start": round(rss_start, 1), "peak": round(max(rss + [rss_start, rss_end]), 1),
                         "end": round(rss_end, 1), "growth": round(rss_end - rss_start, 1)}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--data-dir", type=Path, help="start `r2pkg serve` on this data directory (loopback, free port)")
    where.add_argument("--url", help="a server already running on loopback")
    parser.add_argument("--pid", type=int, help="with --url: the server's process id, to read its memory")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--runaway-every", type=float, default=10.0, help="seconds between runaway queries (0: none)")
    parser.add_argument("--slow-clients", type=int, default=0,
                        help="clients (each from its own loopback address) that loop the runaway query throughout")
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.seconds > 600 or args.clients < 1 or args.clients > 64:
        raise SystemExit("bench.load: --seconds must be in (0, 600] and --clients in [1, 64]")
    proc = None
    try:
        if args.data_dir:
            port = free_port()
            proc = start_server(args.data_dir.resolve(), port)
            url, pid = f"http://127.0.0.1:{port}", proc.pid
        else:
            url, pid = args.url, args.pid
        report = run_load(url, clients=args.clients, seconds=args.seconds, max_requests=args.max_requests,
                          runaway_every=args.runaway_every, slow_clients=args.slow_clients, server_pid=pid)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
    print(report.render())
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2))
    return 0 if report.errors_5xx == 0 and report.errors_connection == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
