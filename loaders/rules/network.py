"""The network: its size over time and its coordination groups."""
from __future__ import annotations

import re
from functools import lru_cache
from rdflib import Literal, URIRef
from r2pkg.graph import iris
from ..analysis import Sent
from ..gazetteer import ORG as ORG_LABEL, STATE, Gazetteer
from .base import (
    Ctx, GROUP_CLASS, NETWORK, R2P, XSD, _alt, _literal, _number_rx, _ordinal_rx, _re, number_value, ordinal_value,
    rule,
)
from .document_date import _date_line
from .lists import _list_at, _usable_agent
from .mechanisms import _dates_in
from .meetings import _NETWORK_NAME
from .time import document_date


@rule(reads=("issued", "start_date", "year"),
      writes=("r2p:date", "r2p:ofNetwork", "r2p:organizationCount", "r2p:stateCount", "rdf:type",
             "skos:prefLabel"))
def rule_network_size(ctx: Ctx) -> None:
    """The Global Network's size as a sentence states it ('a network of 61 states', '61 UN member states have
    appointed', 'the 73rd state to join', 'now counts 64 members and the EU'), dated by the sentence, else the
    meeting, else the page's date line; a size nothing dates is not recorded. A sentence that names another
    network gives none."""
    obs = iris.entity("observation", f"network-size-{ctx.slug}")
    for s in ctx.an.sents:
        size = _size_in(ctx, s)
        if size is None:
            continue
        states, orgs = size
        date = _size_date(ctx, s)
        if date is None:
            continue  # an observation is dated (its shape requires it), and no date is invented
        ctx.node(obs, R2P.NetworkSizeObservation, f"Size of the Global Network ({ctx.when()})", s)
        ctx.emit(obs, R2P.ofNetwork, NETWORK, s)
        ctx.emit(obs, R2P.stateCount, _literal(states, datatype=XSD.integer), s)
        if orgs:
            ctx.emit(obs, R2P.organizationCount, _literal(orgs, datatype=XSD.integer), s)
        ctx.emit(obs, R2P.date, date, s)
        return


def _size_in(ctx: Ctx, s: Sent) -> tuple[int, int | None] | None:
    """(states, organizations) of the Global Network stated in a sentence, or None: a count in the
    clause of another network ('..., while the X Network comprises 11 states') is that network's."""
    text = s.text
    if not _SIZE_HINT.search(text):
        return None
    pats = _size_patterns(ctx.gaz)
    networks = _networks_named(s)
    value = lambda t: number_value(ctx.gaz, t.replace(",", ""))  # noqa: E731

    def ours(name: str) -> re.Match | None:
        return next((m for m in pats[name].finditer(text) if not _in_other_networks_clause(networks, m.start())),
                    None)

    m = ours("national_and_regional")
    if m:
        return value(m.group(1)), value(m.group(2))
    states = None
    if re.search(r"\bnetwork\b", text, re.I) and not ctx.cue("attendance").search(text):
        m = ours("network_counts")
        if m:
            states = value(m.group(1))
    if states is None:
        m = ours("have_appointed")
        if m:
            states = value(m.group(1))
    if states is None:
        m = ours("nth_to_join")
        if m:
            states = ordinal_value(ctx.gaz, m.group(1))
    if not states:
        return None
    return states, _organizations_after(ctx, s, m.end())


_SIZE_HINT = re.compile(r"network|focal\s+points?|\bjoin", re.I)


@lru_cache(maxsize=4)
def _size_patterns(gaz: Gazetteer) -> dict[str, re.Pattern]:
    """The ways a sentence states the network's size, compiled once per gazetteer."""
    num = _number_rx(gaz)
    nouns = r"(?:(?:UN\s+|United\s+Nations\s+)?member\s+states|countries|states|governments|nations|members)"
    return {name: re.compile(rx, re.I) for name, rx in {
        "national_and_regional": rf"\b({num})\s+national\s+and\s+({num})\s+(?:regional|international)\b",
        "network_counts": rf"\b(?:include|includes|including|comprises?|comprising|of|to|counts|numbers|totals|now\s+has|"
                          rf"has\s+grown\s+to|brings\s+together)\s+({num})\s+{nouns}",
        "have_appointed": rf"\b(?:the\s+first\s+)?({num})\s+(?:{nouns}|(?:national\s+)?(?:R2P\s+)?focal\s+points)"
                          rf"(?:\s+for\s+R2P)?\s+(?:have|had|has|were|have\s+been|had\s+been)\s+"
                          rf"(?:now\s+|already\s+|so\s+far\s+)?appointed\b",
        "nth_to_join": rf"\bthe\s+({_ordinal_rx(gaz)})\s+(?:(?:UN\s+)?member\s+)?(?:{_alt(gaz.cues['joiner_nouns'])})\s+to\s+"
                       rf"(?:join|appoint)\b",
    }.items()}


def _organizations_after(ctx: Ctx, s: Sent, pos: int) -> int | None:
    """'... and 2 regional organizations' or '... and the EU' after the state count."""
    num = _number_rx(ctx.gaz)
    m = _re(rf"\s+(?:\w+\s+){{0,3}}?and\s+({num})\s+(?:{_alt(ctx.gaz.cues['organization_scopes'])})\s+organi[sz]ations\b", re.I).match(s.text[pos:])
    if m:
        return number_value(ctx.gaz, m.group(1))
    m = re.match(r"\s+and\s+(?:the\s+)?", s.text[pos:])
    if m:
        orgs = _list_at(ctx, s, pos + m.end(), labels=(ORG_LABEL,), whole_items=True)
        return len(orgs) or None
    return None


def _networks_named(s: Sent) -> list[tuple[int, bool]]:
    """(offset, is the Global Network) of each network the sentence names ('the Latin American Network',
    'Network of Z'; 'the Network' and 'the Global Network' are the network itself)."""
    own = [(m.start - s.start, m.end - s.start) for m in s.ments if m.iri == NETWORK]
    named = [(lo, True) for lo, _hi in own]
    for m in _NETWORK_NAME.finditer(s.text):
        itself = re.match(r"(?:The\s+|This\s+|Our\s+|Its\s+|A\s+)?(?:Global\s+)?Network\b", m.group(0)) or \
            any(lo <= m.start() < hi or lo < m.end() <= hi for lo, hi in own)
        named.append((m.start(), bool(itself)))
    return sorted(named)


def _in_other_networks_clause(networks: list[tuple[int, bool]], pos: int) -> bool:
    """Is the count at `pos` said of another network: the nearest network named before it (or, with none
    before, the first after it) is not the Global Network."""
    before = [ours for at, ours in networks if at <= pos]
    if before:
        return not before[-1]
    after = [ours for at, ours in networks if at > pos]
    return bool(after) and not after[0]


def _size_date(ctx: Ctx, s: Sent) -> Literal | None:
    """The sentence's own date (not a launch date), else the meeting's, else the page's date line."""
    for pos, _end, value in _dates_in(ctx, s.text):
        if not ctx.cue("launch_words").search(s.text[:pos].rsplit(";", 1)[-1]):
            return value
    if ctx.start_date is not None:
        return ctx.start_date
    line = _date_line(ctx)
    if line is not None:
        return line
    return ctx.year_lit(ctx.year)


@rule(reads=("issued", "meeting", "start_date", "year"),
      writes=("r2p:asOf", "r2p:group", "r2p:groupMember", "r2p:partOf", "r2p:since", "r2p:year", "rdf:type",
             "skos:prefLabel"))
def rule_groups(ctx: Ctx) -> None:
    """The network's coordination groups (its steering group): which states and organizations are members,
    and since when."""
    sents = ctx.an.sents
    member_rx = ctx.cue("membership_verbs")
    for i, s in enumerate(sents):
        groups = [m for m in s.ments if m.label == ORG_LABEL and ctx.gaz.get(m.iri) is not None
                  and ctx.gaz.get(m.iri).cls == GROUP_CLASS]
        if not groups:
            continue
        g = groups[0]
        ctx.emit(g.iri, R2P.partOf, NETWORK, s, limit=1) if re.search(r"Global\s+Network|network", s.text) else None
        v = member_rx.search(s.text, g.end - s.start)
        if v and ctx.cue("composition_words").search(v.group(0)):
            stop = re.search(r"\bin its capacity\b|;", s.text[v.end():])
            hi = v.end() + (stop.start() if stop else len(s.text))
            members = [m for m in s.agents(v.end(), hi, labels=(STATE, ORG_LABEL)) if _usable_agent(ctx, m)]
            for m in members:
                _membership(ctx, g.iri, m.iri, ctx.year, s)
            continue
        j = re.search(r"\bjoined\s+the\s+$", s.text[:g.start - s.start])
        if j:
            for m in [m for m in s.agents(0, j.start(), labels=(STATE, ORG_LABEL)) if _usable_agent(ctx, m)]:
                year = re.search(r"\bin\s+((?:19|20)\d{2})\b", s.text)
                joined = next((value for pos, _end, value in _dates_in(ctx, s.text)
                               if re.match(r"(?:in|on|since)\b", s.text[pos:])
                               or re.search(r"\b(?:in|on|since)\s+$", s.text[:pos])), None)
                _membership(ctx, g.iri, m.iri, int(year.group(1)) if year else None, s, since=joined)
            if i > 0:
                prev = sents[i - 1]
                f = ctx.cue("founding_verbs").search(prev.text)
                by = re.search(r"\bby\s+(?:the\s+)?(?:governments?\s+of\s+)?", prev.text[f.end():]) if f else None
                if f and by and re.search(r"\bsince\s+then\b", s.text, re.I):
                    lo = f.end() + by.end()
                    stop = re.search(rf"\bin\s+(?:{_alt(ctx.gaz.cues['partnership_nouns'])})\b|[;.]",
                                     prev.text[lo:])
                    hi = lo + (stop.start() if stop else len(prev.text))
                    year = re.search(r"\b(?:19|20)\d{2}\b", prev.text)
                    founded = next((value for pos, _end, value in _dates_in(ctx, prev.text) if pos > f.start()), None)
                    for m in [m for m in prev.agents(lo, hi, labels=(STATE, ORG_LABEL)) if _usable_agent(ctx, m)]:
                        _membership(ctx, g.iri, m.iri, int(year.group(0)) if year else None, (prev.start, s.end),
                                    since=founded)


def _membership(ctx: Ctx, group: URIRef, member: URIRef, year: int | None, where,
                since: Literal | None = None) -> None:
    """A member of a coordination group, as of the document's date, and since when when the text says
    (the founders from the founding date, a joiner from the date it joined)."""
    gslug, mslug = ctx.slug_of(group), ctx.slug_of(member)
    iri = iris.entity("membership", f"{gslug}-{mslug}" + (f"-{year}" if year else ""))
    ctx.node(iri, R2P.GroupMembership, f"{ctx.label_of(member)} in the {ctx.label_of(group)}"
             + (f" ({year})" if year else ""), where)
    ctx.emit(iri, R2P.group, group, where)
    ctx.emit(iri, R2P.groupMember, member, where)
    if year:
        ctx.emit(iri, R2P.year, ctx.year_lit(year), where)
    as_of = document_date(ctx)
    if as_of is not None:
        ctx.emit(iri, R2P.asOf, as_of, where, limit=1)
    if since is not None:
        ctx.emit(iri, R2P.since, since, where, limit=1)
