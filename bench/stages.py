"""The memory and CPU of one build, stage by stage: `python -m bench.stages CORPUS DATA_DIR`.

Runs the same `build()` as `r2pkg build` and prints, at each stage's start and end, the seconds since
the start, the CPU seconds of the process (its threads and waited-for children included), its RSS now
and its peak RSS. On a shared machine the CPU seconds compare two builds better than the wall time,
and the peak RSS shows which stage holds the memory (bench/run.py gives the build's peak only).
"""
from __future__ import annotations

import argparse
import resource
import shutil
import time
from pathlib import Path


def rss_mb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS:"))


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("data_dir", type=Path, help="removed first")
    args = parser.parse_args(argv)
    from r2pkg.graph.build import build

    started = time.perf_counter()

    def say(message: str) -> None:
        if not message.startswith("  ["):                 # not the line per document
            print(f"{time.perf_counter() - started:8.1f} s  cpu {cpu_seconds():7.1f} s  rss {rss_mb():6d} MB  "
                  f"peak {peak_mb():6d} MB  {message}", flush=True)

    shutil.rmtree(args.data_dir, ignore_errors=True)
    report = build([args.corpus], args.data_dir, progress=say)
    say("end")
    print("seconds per stage: " + ", ".join(f"{k} {v:.1f}" for k, v in report.seconds_per_stage.items()))
    print(f"{report.total_quads:,} quads ({report.evidence_triples:,} evidence, {report.asserted_triples:,} "
          f"asserted, {report.inferred_triples:,} inferred); SHACL conforms: {report.shacl.get('conforms')}")


if __name__ == "__main__":
    main()
