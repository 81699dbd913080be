"""Issue 16's targets, one row each, read from the results of one run of the benchmark.

    python -m bench.targets bench/results/latest.json            # Markdown table, as docs/performance.md has it

`bench.run` prints the same table at the end of a run, so that every verdict in the docs comes from
one run's figures: for each target the figure that decides it (the worst of the ones it covers: the
slowest saved query, the busiest page), met or missed and by how much, and which measurement it was.
A target the run did not measure (a size not asked for, `--no-http`) says so instead of a verdict.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from .run import TARGETS, check

Row = tuple[str, float | None, str]     # target name, the deciding figure, what it was


def _builds(results: dict, n: int) -> dict | None:
    build = results.get("builds", {}).get(str(n)) or results.get("builds", {}).get(n)
    return build if build and "error" not in build else None


def _graph(results: dict, size: int, part: str) -> dict | None:
    graph = results.get("graphs", {}).get(str(size)) or results.get("graphs", {}).get(size) or {}
    found = graph.get(part)
    return found if found and "error" not in found else None


def _worst(items: dict, key: str, *, highest: bool = True) -> tuple[str, float] | None:
    """The name and value of the item that decides a target over several measurements."""
    values = [(name, d[key]) for name, d in items.items() if isinstance(d, dict) and key in d]
    if not values:
        return None
    return (max if highest else min)(values, key=lambda item: item[1])


def _build_rows(results: dict) -> Iterator[Row]:
    for n, target in ((1000, "build_1000_s"), (10000, "build_10000_s")):
        build = _builds(results, n)
        yield (target, build and build["seconds_total"],
               build and f"{build['quads']:,} quads; stages " + ", ".join(f"{k} {v:.1f}" for k, v in build["stages"].items()))
    for n, target in ((1000, "build_1000_rss_mb"), (10000, "build_10000_rss_mb")):
        build = _builds(results, n)
        yield target, build and build["peak_rss_mb"], build and f"build of {n:,} summaries"
    add = (results.get("adds") or {}).get("1000") or (results.get("adds") or {}).get(1000)
    yield "add_1_to_1000_s", add and add.get("seconds_total"), add and f"{add.get('quads', 0):,} quads after the add"
    biggest = max((int(n) for n in results.get("builds", {}) if _builds(results, int(n))), default=None)
    build = biggest and _builds(results, biggest)
    yield ("loader_mb_s", build and build.get("loader_mb_s"),
           build and f"load stage of {biggest:,} summaries ({build['text_mb']:.1f} MB)")


def _graph_rows(results: dict) -> Iterator[Row]:
    size = 1_000_000
    graph = _graph(results, size, "graph")
    yield ("inference_1m_s", graph and graph["infer_all_s"] * size / graph["infer_all_input"],
           graph and f"{graph['infer_all_input']:,} triples in {graph['infer_all_s']:.1f} s, scaled to 1M")
    queries = _graph(results, size, "queries")
    entity = (queries or {}).get("entity", {})
    data = _worst({k: v for k, v in entity.items() if k.endswith("_quads") and not k.startswith("hub")}, "p50")
    yield "entity_p50_ms", data and data[1], data and data[0]
    hub = entity.get("hub_quads")
    yield "hub_p50_ms", hub and hub["p50"], hub and "hub_quads (paged data)"
    model = _worst({k: v for k, v in entity.items() if k.endswith("_build_page")}, "p50")
    yield "page_model_p50_ms", model and model[1], model and f"slowest: {model[0]}"
    saved_all = (queries or {}).get("saved", {})
    saved = _worst(saved_all, "p50")       # a query stopped at the time limit counts as the limit
    timeouts = [k for k, v in saved_all.items() if v.get("timeout")]
    yield ("saved_p50_ms", saved and saved[1],
           saved and (f"slowest: {saved[0]}" + (f"; stopped at the time limit: {', '.join(timeouts)}" if timeouts else "")))
    search = _worst({k: v for k, v in (queries or {}).get("search", {}).items() if "sparql" not in k}, "p50")
    yield "search_p50_ms", search and search[1], search and f"slowest: {search[0]!r}"
    http = _graph(results, size, "http")
    pages = _worst({k: v for k, v in (http or {}).get("endpoints", {}).items() if k.startswith("page")}, "rps",
                   highest=False)
    yield "http_page_rps", pages and pages[1], pages and f"slowest: {pages[0]}"
    yield "server_mb", http and http.get("rss_peak_mb"), http and "server and query workers, peak"


ROWS: tuple[Callable[[dict], Iterator[Row]], ...] = (_build_rows, _graph_rows)


def rows(results: dict) -> list[tuple[str, str, str, str]]:
    """(what the target is, the figure, the verdict, what decided it) for every target."""
    out = []
    for make in ROWS:
        for name, value, what in make(results):
            limit, unit, _kind, label = TARGETS[name]
            if value is None:
                out.append((label, "not measured", "-", "not part of this run"))
            else:
                out.append((label, f"{value:,.1f} {unit}" if value >= 10 else f"{value:.3g} {unit}",
                            check(name, value), what or ""))
    return out


def markdown(results: dict) -> str:
    lines = [f"Run: `{results.get('command', '?')}`, started {results.get('started', '?')}, load average "
             f"{_load(results, 'loadavg_start')} at the start and {_load(results, 'loadavg_end')} at the end.", "",
             "| target | figure | verdict | deciding measurement |", "|---|---:|---|---|"]
    lines += [f"| {label} | {figure} | {verdict} | {what} |" for label, figure, verdict, what in rows(results)]
    return "\n".join(lines)


def _load(results: dict, key: str) -> str:
    value = results.get(key)
    return f"{value[0]:.1f}" if value else "?"


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    path = Path(args[0])
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"{path}: not a benchmark result ({exc})", file=sys.stderr)
        return 2
    print(markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
