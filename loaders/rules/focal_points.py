"""Focal points: which state or organization has one, where it sits, who holds it; appointments."""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from rdflib import Literal, URIRef
from r2pkg.graph import iris
from ..analysis import Sent
from ..gazetteer import GOV_BODY, ORG as ORG_LABEL, STATE, STATE_ADJ, Gazetteer, data_json
from .base import Ctx, R2P, _alt, _literal, _ordinal_rx, rule
from .document_date import _date_line
from .lists import _list_at, _usable_agent


def focal_post(ctx: Ctx, agent: URIRef, where) -> URIRef:
    post = iris.entity("post", f"focal-point-{ctx.slug_of(agent)}")
    ctx.node(post, R2P.FocalPointPost, f"R2P Focal Point of {ctx.label_of(agent)}", where)
    ctx.emit(agent, R2P.hasFocalPoint, post, where)
    if ctx.year:
        ctx.emit(post, R2P.year, ctx.year_lit(ctx.year), where)
    return post


@lru_cache(maxsize=4)
def _negation_rx(gaz: Gazetteer) -> re.Pattern:
    """'not yet', 'never' ... a word or two before a verb: the appointment did not happen."""
    return re.compile(rf"\b(?:{_alt(gaz.cues['appoint_negation'])}|no)\s+(?:\w+\s+){{0,2}}$", re.I)


@rule(reads=("meeting", "year"),
      writes=("r2p:hasFocalPoint", "r2p:hasParticipant", "r2p:partOf", "r2p:positionTitle",
             "r2p:withinBody", "r2p:year", "rdf:type", "skos:prefLabel"))
def rule_focal_points(ctx: Ctx) -> None:
    """Which state or organization has an R2P Focal Point ('the Focal Point of Ghana'), and the post's place
    and holder."""
    an = ctx.an
    speaking = ctx.cue("speaking")
    rx_of = re.compile(r"\b(?:R2P\s+)?Focal\s+Points?\s+(?:of|for|from)\s+(?:the\s+)?", re.I)
    rx_pre = re.compile(r"\s*(?:['’]s?\s+)?(?:national\s+)?R2P\s+Focal\s+Point\b")
    for s in an.sents:
        if s.block.kind == "title" or not s.mentions_any((STATE, ORG_LABEL)):
            continue  # focal points here are those of a state or organization named in the sentence
        for m in rx_of.finditer(s.text):
            if _negation_rx(ctx.gaz).search(s.text[:m.start()][-30:]):
                continue
            for a in _list_at(ctx, s, m.end()):
                focal_post(ctx, a.iri, s)
                if speaking.search(s.text) and ctx.meeting:
                    ctx.emit(ctx.meeting.iri, R2P.hasParticipant, a.iri, s)
        for a in s.agents(labels=(STATE, ORG_LABEL)):
            after = s.text[a.end - s.start:]
            if rx_pre.match(after) and _usable_agent(ctx, a):
                if re.match(r"\s*(?:['’]s?\s+)?(?:national\s+)?R2P\s+Focal\s+Points?\s+(?:initiative|network)", after):
                    continue
                focal_post(ctx, a.iri, s)
    _national_sections(ctx)


def _national_sections(ctx: Ctx) -> None:
    """'NATIONAL EXPERIENCES' style subsections: a heading that names a state or organization, then
    'The R2P Focal Point is ...'."""
    an = ctx.an
    heading_agent: dict[int, URIRef | None] = {}  # per subsection heading: the agent it names, if usable
    first_sent: dict[int, Sent] = {}              # per subsection: its first paragraph sentence
    ments = sorted(an.ments, key=lambda m: m.start)
    starts = [m.start for m in ments]
    for s in an.sents:
        blk = s.block
        if blk.subsection is None or blk.kind != "para":
            continue
        first_sent.setdefault(blk.subsection, s)
        head = an.blocks[blk.subsection]
        if blk.subsection not in heading_agent:
            inside = ments[bisect_left(starts, head.start):bisect_left(starts, head.end)]
            agents = [m for m in inside if m.label in (STATE, ORG_LABEL)]
            usable = len(agents) == 1 and agents[0].text.strip() == head.text.strip() and _usable_agent(ctx, agents[0])
            heading_agent[blk.subsection] = agents[0].iri if usable else None
        agent = heading_agent[blk.subsection]
        if agent is None:
            continue
        where = (head.start, s.end)
        if s is first_sent[blk.subsection] and ctx.meeting:
            ctx.emit(ctx.meeting.iri, R2P.hasParticipant, agent, (head.start, s.end))
        m = re.match(r"The\s+(?:national\s+)?(?:R2P\s+)?Focal\s+Point\s+(is|serves|has\s+(?:\w+\s+){0,2}been\s+appointed)\b(.*)$",
                     s.text)
        if not m:
            continue
        rest = m.group(1) + m.group(2)
        if re.search(r"\bnot\s+(?:yet\s+)?(?:been\s+)?appointed\b", rest):
            continue
        post = focal_post(ctx, agent, where)
        title = _position_title(rest)
        if title:
            ctx.emit(post, R2P.positionTitle, _literal(title), where)
        for b in s.agents(labels=(GOV_BODY,)):
            ctx.emit(post, R2P.withinBody, b.iri, where)
            ctx.emit(b.iri, R2P.partOf, an.body_state.get(b.iri, agent), where)
            break


def _position_title(rest: str) -> str | None:
    rest = rest.rstrip(". ")
    loc = re.match(r"is\s+located\s+in\s+(?:the\s+)?(?P<body>.+?)\s+and\s+is\s+(?:a|an|the)\s+(?P<title>[^.,;]+)", rest)
    if loc:
        return f"{loc.group('title').strip()} in the {loc.group('body').strip()}"
    rest = re.sub(r"^(?:is|has|serves)\s+", "", rest)
    rest = re.sub(r"^(?:(?:only|newly|recently|just)\s+)*(?:been\s+)?(?:(?:only|newly|recently)\s+)*appointed\s+and\s+"
                  r"(?:is|serves\s+as)\s+", "", rest)
    rest = re.sub(r"^serves\s+as\s+", "", rest)
    rest = re.sub(r"^(?:the|a|an)\s+", "", rest)
    rest = re.split(r",\s+(?:a|an|which|who|where)\b|\s+and\s+(?:also|is|has|works)\b|;", rest)[0].strip()
    if not rest or len(rest.split()) > 25:
        return None
    return rest


@lru_cache(maxsize=1)
def _appointment_forms() -> dict:
    return data_json("appointment-forms.json")


@lru_cache(maxsize=4)
def _joining_rx(gaz: Gazetteer) -> dict[str, re.Pattern]:
    """After a state: 'became the 73rd state to appoint', 'as the 12th member to join', 'joined the Global
    Network'; before it: 'the addition of'. After it, for the addition: 'to the Global Network'."""
    f = _appointment_forms()
    network = rf"the\s+(?:{_alt(f['network_names'])})"
    rank = (r"(?:['’]s\s+[a-z]+\s*[—–-]?)?"  # "Qatar's commitment — as the first country ..."
            rf"\s+(?:has\s+|have\s+)?(?:become|became|becomes|is|was|as)\s+the\s+(?P<ord>{_ordinal_rx(gaz)})\s+"
            rf"(?:{_alt(f['member_nouns'])})(?:\s+(?:in|of|from)\s+(?:the\s+)?[\w\s-]{{1,30}}?)?"
            rf"\s+(?:{_alt(f['rank_verbs'])})\b")
    return {
        "rank": re.compile(rank, re.I),
        "join": re.compile(rf"\s+(?:{_alt(f['join_verbs'])})\s+{network}", re.I),
        "addition_before": re.compile(rf"\b(?:{_alt(f['addition_nouns'])})\s+of\s+(?:the\s+)?$", re.I),
        "addition_after": re.compile(rf"\s+to\s+{network}", re.I),
    }


def _joinings(ctx: Ctx) -> None:
    """A state stated to join the Global Network by rank or by 'the addition of X': its appointment of a
    focal point, dated by the meeting, else by the page's date line."""
    rx = _joining_rx(ctx.gaz)
    date = ctx.start_date if ctx.meeting else _date_line(ctx)
    for s in ctx.an.sents:
        if s.block.kind in ("title", "heading", "subheading") or not s.mentions_any((STATE,)):
            continue
        for a in s.agents(labels=(STATE,)):
            lo, hi = s.rel(a)
            after, before = s.text[hi:], s.text[:lo]
            if not (rx["rank"].match(after) or rx["join"].match(after) or
                    (rx["addition_before"].search(before) and rx["addition_after"].match(after))):
                continue
            if _negation_rx(ctx.gaz).search(before[-25:]) or not _usable_agent(ctx, a):
                continue
            if ctx.meeting:
                focal_post(ctx, a.iri, s)  # in a summary, a rank tells the past, not what was announced there
            else:
                _announce(ctx, s, a.iri, "appointed", date)


def _announce(ctx: Ctx, s: Sent, agent: URIRef, kind: str, date: Literal | None) -> None:
    """An appointment (or an intention to appoint) announced by a state or organization."""
    year = ctx.year or (int(str(date)[:4]) if date is not None else None)
    when = ctx.when() if ctx.meeting or not year else str(year)  # two news items on one appointment: one node
    ann = iris.entity("announcement", f"{ctx.slug_of(agent)}-{when}")
    verb = "intention to appoint" if kind == "intends" else "appointment of"
    ctx.node(ann, R2P.AppointmentAnnouncement,
             f"{ctx.label_of(agent)}: {verb} an R2P Focal Point" + (f" ({year})" if year else ""), s)
    ctx.emit(ann, R2P.announcedBy, agent, s)
    if ctx.meeting:
        ctx.emit(ann, R2P.atMeeting, ctx.meeting.iri, s)
    ctx.emit(ann, R2P.intent, _literal(kind), s)
    if year:
        ctx.emit(ann, R2P.year, ctx.year_lit(year), s)
    if date is not None:
        ctx.emit(ann, R2P.date, date, s)
    if kind == "appointed":
        focal_post(ctx, agent, s)
    elif ctx.meeting:
        ctx.emit(ctx.meeting.iri, R2P.hasParticipant, agent, s)


@rule(reads=("issued", "meeting", "start_date", "year"),
      writes=("r2p:announcedBy", "r2p:atMeeting", "r2p:date", "r2p:hasFocalPoint",
             "r2p:hasParticipant", "r2p:intent", "r2p:year", "rdf:type", "skos:prefLabel"))
def rule_announcements(ctx: Ctx) -> None:
    """Appointments and intentions to appoint a focal point: announced at the meeting, or (with no meeting)
    stated in a news item, dated by its date line."""
    _joinings(ctx)
    date = ctx.start_date if ctx.meeting else _date_line(ctx)
    intent = ctx.cue("appoint_intent")
    done = re.compile(r"\b(?:has\s+|have\s+|had\s+)?appointed\b")
    for s in ctx.an.sents[1:]:
        if not s.mentions_any((STATE, ORG_LABEL, STATE_ADJ)):
            continue  # an announcement needs an agent named in the sentence
        if ctx.meeting is None and s.block.kind in ("title", "heading", "subheading"):
            continue
        hits = [(m, "intends") for m in intent.finditer(s.text)] + [(m, "appointed") for m in done.finditer(s.text)]
        for m, kind in hits:
            if not re.match(r"\s+(?:an?\s+|its\s+|their\s+|both\s+an?\s+)?(?:national\s+)?(?:R2P\s+)?Focal\s+Points?",
                            s.text[m.end():]):
                continue
            before = s.text[:m.start()]
            if _negation_rx(ctx.gaz).search(before[-25:]) or re.search(r"\b(?:to|that|who|which)\s+$", before):
                continue
            clause_start = max(before.rfind(";"), before.rfind(":"), 0)
            agents = [a for a in s.agents(clause_start, m.start(), labels=(STATE, ORG_LABEL, STATE_ADJ))
                      if _usable_agent(ctx, a) and m.start() - (a.end - s.start) < 120]
            if kind == "appointed":
                agents = agents[-1:]
            for a in agents:
                _announce(ctx, s, a.iri, kind, date)
