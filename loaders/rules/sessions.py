"""Sessions of a meeting: the headings of its summary that are not parts of the summary itself."""
from __future__ import annotations

import re
from functools import lru_cache
from r2pkg.graph import iris
from .base import Ctx, R2P, RDFS, _literal, english, rule
from .recommendations import recommendation_data


def title_case(ctx: Ctx, heading: str) -> str:
    keep = set(ctx.gaz.cues["keep_upper"])
    small = set(ctx.gaz.cues["small_words"])
    words = re.split(r"(\s+|-)", heading.strip())
    out = []
    first = True
    for w in words:
        if not w.strip() or w == "-":
            out.append(w)
            continue
        core = re.sub(r"[^\w]", "", w)
        if core.upper() in keep or re.search(r"\d", core):
            out.append(w)
        elif core.lower() in small and not first and not out[-1].endswith(":") and not (out and out[-2:-1] == [": "]):
            out.append(w.lower())
        else:
            out.append(w[:1].upper() + w[1:].lower())
        first = False
    text = "".join(out)
    return re.sub(r"(:\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)


@rule(reads=("meeting",),
      writes=("r2p:hasSession", "rdf:type", "rdfs:label", "skos:prefLabel"))
def rule_sessions(ctx: Ctx) -> None:
    if ctx.meeting is None:
        return
    for b in ctx.an.blocks:
        if b.kind != "heading" or is_summary_part(b.text):
            continue
        slug = f"{ctx.meeting.slug}-{iris.slug_or_digest(b.text)}"
        iri = iris.entity("session", slug)
        label = title_case(ctx, b.text)
        where = (b.start, b.end)
        ctx.node(iri, R2P.Session, label, where)
        ctx.emit(iri, RDFS.label, english(label), where)
        ctx.emit(ctx.meeting.iri, R2P.hasSession, iri, where)


@lru_cache(maxsize=1)
def _summary_parts() -> frozenset[str]:
    return frozenset(recommendation_data()["summary_parts"])


def is_summary_part(heading: str) -> bool:
    """'CONCLUSION AND RECOMMENDATIONS', 'THE WAY FORWARD: KEY RECOMMENDATIONS', 'HISTORY OF THE INITIATIVE':
    every part of the heading names a part of the summary, not a session of the meeting."""
    parts = [p for p in re.split(r"\s*(?::|&|,|\band\b|[–—]|\s-\s)\s*", heading.strip().lower()) if p.strip(" .")]
    return bool(parts) and all(re.sub(r"[^\w\s]", "", p).strip() in _summary_parts() for p in parts)
