"""Sessions of a meeting and its recommendations."""
from __future__ import annotations

import re
from rdflib import URIRef
from r2pkg.graph import iris
from ..analysis import Analysis, Block
from ..gazetteer import CRIME, GOV_BODY, MECHANISM, ORG as ORG_LABEL, STATE
from .base import Ctx, R2P, RDFS, XSD, _literal, english, rule
from .lists import _usable_agent
from .meetings import meeting_label
from .situations import pillars_in


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
        if b.kind != "heading" or re.fullmatch(r"\W*INTRODUCTION\W*", b.text):
            continue
        slug = f"{ctx.meeting.slug}-{iris.slug_or_digest(b.text)}"
        iri = iris.entity("session", slug)
        label = title_case(ctx, b.text)
        where = (b.start, b.end)
        ctx.node(iri, R2P.Session, label, where)
        ctx.emit(iri, RDFS.label, english(label), where)
        ctx.emit(ctx.meeting.iri, R2P.hasSession, iri, where)


@rule(reads=("meeting",),
      writes=("r2p:addresses", "r2p:hasRecommendation", "r2p:mentions", "r2p:number",
             "r2p:recommendsMechanism", "r2p:text", "rdf:type", "skos:prefLabel"))
def rule_recommendations(ctx: Ctx) -> None:
    if ctx.meeting is None:
        return
    an = ctx.an
    intro_rx = ctx.cue("recommendation_intro")
    lists: list[list[Block]] = []
    for b in an.blocks:
        if b.kind == "item" and b.number is not None:
            if lists and lists[-1][-1].number is not None and b.number == lists[-1][-1].number + 1 \
                    and _only_items_between(an, lists[-1][-1], b):
                lists[-1].append(b)
            elif b.number == 1:
                lists.append([b])
    n_list = 0
    for items in lists:
        first = items[0]
        intro = [x for x in an.blocks[max(0, first.idx - 2):first.idx] if x.kind in ("para", "heading", "subheading")]
        heading = an.blocks[first.section] if first.section is not None else None
        texts = [x.text for x in intro] + ([heading.text] if heading else [])
        if not any(intro_rx.search(t) for t in texts):
            continue
        n_list += 1
        prefix = ctx.meeting.slug if n_list == 1 else \
            f"{ctx.meeting.slug}-{iris.slug_or_digest(heading.text) if heading else f'list-{n_list}'}"
        for item in items:
            text = an.mapped.published(ctx.original, item.body_start, item.end) if ctx.original \
                else an.text[item.body_start:item.end].strip()
            iri = iris.entity("recommendation", f"{prefix}-{item.number}")
            where = (item.body_start, item.end)
            ctx.node(iri, R2P.Recommendation, f"{ctx.meeting.label or meeting_label(ctx, ctx.meeting.ordinal)}: recommendation "
                     f"{item.number}" + (f" ({title_case(ctx, heading.text)})" if n_list > 1 and heading else ""), where)
            ctx.emit(iri, R2P.number, _literal(item.number, datatype=XSD.integer), where)
            ctx.emit(iri, R2P.text, _literal(text), where)
            ctx.emit(ctx.meeting.iri, R2P.hasRecommendation, iri, where)
            _recommendation_links(ctx, iri, item, where)


def _only_items_between(an: Analysis, a: Block, b: Block) -> bool:
    return all(x.kind == "item" for x in an.blocks[a.idx + 1:b.idx])


def _recommendation_links(ctx: Ctx, rec: URIRef, item: Block, where) -> None:
    text = ctx.an.text
    modal = re.search(r"\b(?:should|must|to)\b", text[item.body_start:item.end])
    modal_at = item.body_start + modal.start() if modal else item.body_start
    for m in ctx.an.ments:
        if not (item.body_start <= m.start < item.end):
            continue
        if m.label == MECHANISM:
            ctx.emit(rec, R2P.recommendsMechanism, m.iri, where)
        elif m.label == CRIME:
            ctx.emit(rec, R2P.addresses, m.iri, where)
        elif m.label in (STATE, ORG_LABEL, GOV_BODY) and _usable_agent(ctx, m):
            ctx.emit(rec, R2P.addresses if m.end <= modal_at else R2P.mentions, m.iri, where)
        elif m.label in (STATE, ORG_LABEL):
            ctx.emit(rec, R2P.mentions, m.iri, where)
    for p in pillars_in(text[item.body_start:item.end]):
        ctx.emit(rec, R2P.addresses, p, where)
