"""Memory under hostile queries: what `r2pkg serve` and its query workers hold while an attacker asks for
a huge answer or a huge intermediate string.

    python -m bench.attacks --data-dir /tmp/data

Two ~900-byte queries double a string with nested BINDs: one to 512 MB returned as one row (the answer-size
attack: refused by SPARQL_MAX_BYTES before it leaves the worker), one to 8 GB (the memory attack: the worker
dies at SPARQL_WORKER_MEMORY and is replaced). For each: the status, the seconds, and the peak RSS of the
server process and of its workers, sampled every 50 ms; then whether a normal query still answers.
Loopback only; the server this tool starts is stopped at the end.
"""
from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

from .load import JSON, free_port, start_server


def doubling_query(levels: int) -> str:
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(levels))
    return f'SELECT ?v{levels} WHERE {{ VALUES ?v0 {{ "0123456789abcdef" }} {binds} }}'


ATTACKS = {
    "answer of 512 MB in one row": doubling_query(25),
    "intermediate string of 8 GB": doubling_query(29),
}


def _rss_mb(pid: int) -> tuple[float, float]:
    """RSS of the server process itself, and of all its descendants (workers, forkserver), in MB."""
    import psutil

    try:
        root = psutil.Process(pid)
        server = root.memory_info().rss
        workers = 0
        for child in root.children(recursive=True):
            try:
                workers += child.memory_info().rss
            except psutil.Error:
                pass
    except psutil.Error:
        return 0.0, 0.0
    return server / 2**20, workers / 2**20


def attack(url: str, pid: int, query: str) -> dict:
    import requests

    peaks = [0.0, 0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            server, workers = _rss_mb(pid)
            peaks[0], peaks[1] = max(peaks[0], server), max(peaks[1], workers)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    r = requests.post(url + "/sparql", data={"query": query}, headers=JSON, timeout=120)
    elapsed = time.monotonic() - started
    done.set()
    sampler.join()
    return {"query bytes": len(query), "status": r.status_code, "answer bytes": len(r.content),
            "message": r.text[:120].strip(), "seconds": round(elapsed, 2),
            "peak server RSS MB": round(peaks[0]), "peak workers RSS MB": round(peaks[1])}


def main(argv: list[str] | None = None) -> int:
    import requests

    parser = argparse.ArgumentParser(prog="python -m bench.attacks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="a built data directory to serve")
    args = parser.parse_args(argv)
    port = free_port()
    proc = start_server(args.data_dir.resolve(), port)
    url = f"http://127.0.0.1:{port}"
    try:
        requests.get(url + "/sparql", params={"query": "ASK {}"}, headers=JSON, timeout=30)
        time.sleep(1.0)
        server, workers = _rss_mb(proc.pid)
        print(f"at rest: server {server:.0f} MB, workers {workers:.0f} MB")
        for name, query in ATTACKS.items():
            print(f"{name}: {attack(url, proc.pid, query)}")
            time.sleep(2.0)        # a killed worker's replacement starts
            server, workers = _rss_mb(proc.pid)
            ok = requests.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=JSON, timeout=30)
            print(f"  afterwards: server {server:.0f} MB, workers {workers:.0f} MB; a normal query: {ok.status_code}")
    finally:
        proc.terminate()
        proc.wait(15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
