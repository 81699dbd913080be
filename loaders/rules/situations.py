"""Situations, atrocity crimes and the three pillars."""
from __future__ import annotations

import re
from functools import lru_cache
from rdflib import URIRef
from r2pkg.graph import iris
from ..analysis import Ment
from ..gazetteer import CRIME, MECHANISM, ORG as ORG_LABEL, STATE, STATE_ADJ, Gazetteer, fold
from .base import Ctx, R2P, _alt, rule
from .history import place_situations
from .lists import _list_at


def situation_of(ctx: Ctx, state: URIRef, where) -> URIRef:
    sit = iris.entity("situation", ctx.slug_of(state))
    ctx.node(sit, R2P.AtrocitySituation, ctx.label_of(state), where)
    ctx.emit(sit, R2P.situationIn, state, where)
    if ctx.meeting:
        ctx.emit(ctx.meeting.iri, R2P.discussedSituation, sit, where)
    ctx.situations.add(state)
    return sit


@rule(reads=("meeting", "situations"),
      writes=("situations", "r2p:discussedSituation", "r2p:involvesCrime", "r2p:situationIn",
             "rdf:type", "skos:prefLabel"))
def rule_situations(ctx: Ctx) -> None:
    """Situations the meeting discussed: states named as places of crises or atrocity crimes, and the crimes
    involved."""
    before = ctx.cue("situation_before")
    after = ctx.cue("situation_after")
    intro = ctx.cue("situation_list_intro")
    crimes_verbs = ctx.cue("crime_verbs")
    for s in ctx.an.sents:
        if not s.mentions_any((STATE, STATE_ADJ)):
            continue  # every situation found below is a state or state adjective mentioned in the sentence
        found: list[Ment] = []
        for m in before.finditer(s.text):
            pos = m.end()
            gap = re.match(r"\s+(?:the\s+)?", s.text[pos:])
            found += [x for x in _list_at(ctx, s, pos + (gap.end() if gap else 0)) if x.label == STATE]
        colon = s.text.find(":")
        if colon > 0 and intro.search(s.text[:colon]):
            gap = re.match(r"\s+(?:the\s+)?", s.text[colon + 1:])
            found += [x for x in _list_at(ctx, s, colon + 1 + (gap.end() if gap else 0)) if x.label == STATE]
        for st in s.agents(labels=(STATE,)):
            tail = s.text[st.end - s.start:st.end - s.start + 90]
            a = after.search(tail)
            if a and not re.search(r"[.;]", tail[:a.start()]) and re.match(r"\s*(?:,|\band\b|\s)", tail):
                if re.match(r"(?:\s*,\s*|\s+and\s+)?\s*[\"“]?\w*\s*\w*\s*" , tail):
                    if a.start() <= 60:
                        found.append(st)
        for adj in s.agents(labels=(STATE_ADJ,)):
            if re.search(rf"\b(?:{_alt(ctx.gaz.cues['conflict_nouns'])})\b", adj.text, re.I):
                found.append(adj)
        if s.block.kind == "heading" and re.search(r"ATROCIT|CRISIS|CONFLICT|SITUATION", s.text):
            found += s.agents(labels=(STATE,))
        seen = set()
        for st in found:
            if st.iri in seen:
                continue
            seen.add(st.iri)
            sit = situation_of(ctx, st.iri, s)
            crimes = [m for m in s.ments if m.label == CRIME]
            if crimes and crimes_verbs.search(s.text) and len({m.iri for m in s.agents(labels=(STATE, STATE_ADJ))}) == 1:
                for c in crimes:
                    ctx.emit(sit, R2P.involvesCrime, c.iri, s)
    _historical_situations(ctx)
    place_situations(ctx)


def _historical_situations(ctx: Ctx) -> None:
    """Named atrocity events: 'the 1994 genocide in X', 'the Rwandan genocide', 'the Srebrenica massacre'. An event
    in a named state is that state's situation (with the crime); one named by a place alone is a situation of its
    own, tied to no state."""
    nouns = ctx.cue("atrocity_event_nouns")
    if not ctx.an.sents:
        return
    rx = _historical_rx(ctx.gaz)
    for s in ctx.an.sents:
        if not nouns.search(s.text):
            continue  # cheap test first
        for m in rx.finditer(s.text):
            year, name, place = m.group("year"), m.group("name"), m.group("place")
            if not (year or name or place):
                continue
            if name and name not in ctx.gaz.adjectives and (m.start("name") == 0 or not ctx.gaz.by_alias.get(fold(name))
                                                             and not re.match(r"[A-Z][a-z]+$", name)):
                continue  # 'Prevent genocide in ...' at the start of a sentence: a verb, not a name
            if re.match(r"\s+[A-Z]", s.text[m.end("noun"):]) or any(
                    o.label in (ORG_LABEL, MECHANISM) and o.start < s.start + m.end() and s.start + m.start() < o.end
                    for o in s.ments):
                continue  # 'the Genocide Memorial Foundation': part of an organization's name
            phrase = _TRAILING.sub("", m.group(0))
            phrase = re.sub(r"^(?:[Tt]he)\s+", "", phrase)
            lo = s.start + m.end() - len(phrase)
            states = [a.iri for a in s.ments if a.label in (STATE, STATE_ADJ) and lo <= a.start and a.end <= s.start + m.end()]
            if name and name in ctx.gaz.adjectives:
                states.append(ctx.gaz.adjectives[name])
            if not states and not name:
                continue  # 'genocide in the region': no event named
            if states:
                for st in dict.fromkeys(states):  # an event in a state is that state's situation
                    sit = situation_of(ctx, st, s)
                    for c in s.ments:
                        if c.label == CRIME and lo <= c.start and c.end <= s.start + m.end():
                            ctx.emit(sit, R2P.involvesCrime, c.iri, s)
                continue
            sit = iris.place_situation(phrase)
            ctx.node(sit, R2P.AtrocitySituation, phrase[:1].upper() + phrase[1:], s)
            if ctx.meeting:
                ctx.emit(ctx.meeting.iri, R2P.discussedSituation, sit, s)
            for c in s.ments:
                if c.label == CRIME and lo <= c.start and c.end <= s.start + m.end():
                    ctx.emit(sit, R2P.involvesCrime, c.iri, s)


@lru_cache(maxsize=4)
def _historical_rx(gaz: Gazetteer) -> re.Pattern:
    nouns = _alt(gaz.cues["atrocity_event_nouns"])
    name = r"[A-Z][\w'’-]+"
    return re.compile(rf"\b(?:the\s+)?(?:(?P<year>(?:19|20)\d{{2}})\s+)?(?:(?P<name>{name})\s+)?(?P<noun>{nouns})"
                      rf"(?:\s+(?:against|of)\s+the\s+{name})?(?:\s+(?:in|at)\s+(?:the\s+)?(?P<place>{name}(?:\s+{name})*))?")


@rule(reads=("meeting",),
      writes=("r2p:discussed",))
def rule_crimes_pillars(ctx: Ctx) -> None:
    """The atrocity crimes and the pillars of R2P ('pillar II') that the meeting discussed."""
    if ctx.meeting is None:
        return
    for s in ctx.an.sents[1:]:
        for m in s.ments:
            if m.label == CRIME:
                ctx.emit(ctx.meeting.iri, R2P.discussed, m.iri, s, limit=1)
        for iri in pillars_in(s.text):
            ctx.emit(ctx.meeting.iri, R2P.discussed, iri, s, limit=1)


_ROMAN = {"I": R2P.PillarI, "II": R2P.PillarII, "III": R2P.PillarIII, "1": R2P.PillarI, "2": R2P.PillarII,
          "3": R2P.PillarIII, "One": R2P.PillarI, "Two": R2P.PillarII, "Three": R2P.PillarIII}


def pillars_in(text: str) -> list[URIRef]:
    out = []
    num = r"(?:III|II|I|1|2|3|One|Two|Three)"
    if "illar" not in text:
        return out  # cheap test first
    for m in re.finditer(rf"\b[Pp]illars?\s+{num}\b(?:(?:\s*,\s*|\s+and\s+|\s+or\s+|\s*&\s*)(?:[Pp]illars?\s+)?{num}\b)*",
                         text):
        for n in re.findall(rf"\b{num}\b", m.group(0)):
            if _ROMAN[n] not in out:
                out.append(_ROMAN[n])
    return out


_TRAILING = re.compile(r"(?:\s+(?:of|and|the|for|on|to|in))+$")
