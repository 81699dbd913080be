"""Markdown tables of query, search and HTTP figures from bench.run JSON results, one column per graph size.

    python -m bench.report bench/results/full.json bench/results/full-1m.json
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def _graphs(paths: list[str]) -> dict[int, dict]:
    graphs: dict[int, dict] = {}
    for p in paths:
        data = json.loads(Path(p).read_text(encoding="utf-8"))
        for size, g in data.get("graphs", {}).items():
            if "queries" in g:
                graphs[int(size)] = g
    return dict(sorted(graphs.items()))


def _ms(d: dict | None) -> str:
    if not d:
        return "-"
    if d.get("timeout"):
        return f"> {d['p50'] / 1000:g} s (time limit)" if "p50" in d else d.get("error", "-")
    if "p50" not in d:
        return d.get("error", "-")[:30]
    return f"{d['p50']:.1f} / {d['p95']:.1f}"


def _ratio(plain: dict | None, ours: dict | None) -> str:
    if not plain or not ours or "p50" not in plain or "p50" not in ours or ours.get("timeout"):
        return "-"
    return f"{plain['p50'] / ours['p50']:.1f}x"


def tables(paths: list[str]) -> str:
    graphs = _graphs(paths)
    sizes = list(graphs)
    first = graphs[sizes[0]]
    label = {s: (f"{s // 1_000_000}M" if s >= 1_000_000 else f"{s // 1000}k") for s in sizes}
    lines = ["| saved query | " + " | ".join(f"{label[s]}" for s in sizes) + f" | rdflib {label[sizes[0]]} | ratio |",
             "|---|" + "---:|" * (len(sizes) + 2)]
    rd = first["queries"].get("rdflib", {})
    for name in first["queries"]["saved"]:
        cells = [_ms(graphs[s]["queries"]["saved"].get(name)) for s in sizes]
        plain = rd.get("saved", {}).get(name)
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {_ms(plain)} | "
                     f"{_ratio(plain, first['queries']['saved'].get(name))} |")
    lines += ["", "| entity page data | " + " | ".join(label[s] for s in sizes) + f" | rdflib {label[sizes[0]]} |",
              "|---|" + "---:|" * (len(sizes) + 1)]
    for name in first["queries"]["entity"]:
        cells = [_ms(graphs[s]["queries"]["entity"].get(name)) for s in sizes]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {_ms(rd.get('entity', {}).get(name))} |")
    lines += ["", "| search | " + " | ".join(label[s] for s in sizes) + f" | rdflib CONTAINS {label[sizes[0]]} |",
              "|---|" + "---:|" * (len(sizes) + 1)]
    for name in first["queries"]["search"]:
        cells = [_ms(graphs[s]["queries"]["search"].get(name)) for s in sizes]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {_ms(rd.get('search', {}).get(name))} |")
    lines += ["", "| HTTP endpoint | " + " | ".join(f"{label[s]} req/s | {label[s]} p50 / p95 ms" for s in sizes) + " |",
              "|---|" + "---:|" * (2 * len(sizes))]
    names = [n for s in sizes for n in graphs[s].get("http", {}).get("endpoints", {})]
    for name in dict.fromkeys(names):
        cells = []
        for s in sizes:
            d = graphs[s].get("http", {}).get("endpoints", {}).get(name)
            cells += [f"{d['rps']:.1f}" if d else "-", (_ms(d) + (f" ({d['errors']} errors)" if d and d["errors"] else ""))
                      if d else "-"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    mem = []
    for s in sizes:
        h = graphs[s].get("http", {})
        if "rss_peak_mb" in h:
            mem.append(f"{label[s]}: start {h['startup_s']:.1f} s, idle {h['rss_idle_mb']:.0f} MB, "
                       f"peak {h['rss_peak_mb']:.0f} MB")
    lines += ["", "Server (server + query workers): " + "; ".join(mem)]
    return "\n".join(lines)


if __name__ == "__main__":
    print(tables(sys.argv[1:]))
