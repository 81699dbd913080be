"""Participants of a meeting, how many came, and its theme."""
from __future__ import annotations

import re
from functools import lru_cache
from ..analysis import Ment, Sent
from ..gazetteer import ORG as ORG_LABEL, STATE, STATE_ADJ, Gazetteer
from .base import Ctx, R2P, XSD, _alt, _cue_probe, _literal, _number_rx, _re, number_value, rule
from .document_date import _cue_words_rx
from .lists import _coordinated_tail, _in_parens, _list_at, _usable_agent
from .meetings import _meeting_mentions


@rule(reads=("meeting",),
      writes=("r2p:countIsLowerBound", "r2p:participantCount"))
def rule_counts(ctx: Ctx) -> None:
    """How many took part in the document's meeting ('more than 40 countries'), and whether the count is a
    lower bound."""
    if ctx.meeting is None:
        return
    num = _number_rx(ctx.gaz)
    rx = re.compile(rf"(?:\b({_alt(ctx.gaz.cues['lower_bound'])}|{_alt(ctx.gaz.cues['approximately'])})\s+)?"
                    rf"\b({num})\s+(?:{_alt(ctx.gaz.cues['count_nouns'])})\b", re.I)
    attend = ctx.cue("attendance")
    nouns = _cue_probe(ctx.gaz, "count_nouns")
    for s in ctx.an.sents[1:]:
        if not nouns.search(s.text):
            continue  # cheap test first: a count is of countries, participants ...
        if not attend.search(s.text) and not _meeting_gathers(s.text):
            continue
        for m in rx.finditer(s.text):
            value = number_value(ctx.gaz, m.group(2).replace(",", ""))
            if not value:
                continue
            ctx.emit(ctx.meeting.iri, R2P.participantCount, _literal(value, datatype=XSD.integer), s)
            qual = (m.group(1) or "").lower()
            if qual in [q.lower() for q in ctx.gaz.cues["lower_bound"]]:
                ctx.emit(ctx.meeting.iri, R2P.countIsLowerBound, _literal(True), s)
            elif not qual:
                ctx.emit(ctx.meeting.iri, R2P.countIsLowerBound, _literal(False), s)
            break


def _meeting_gathers(text: str) -> bool:
    """'The meeting brings together ... more than 40 countries': a meeting as the subject of a verb
    of gathering, in any tense (an announcement counts those expected)."""
    verb = _cue_words_rx("meeting_gathers").search(text)
    return bool(verb and _cue_words_rx("event_nouns").search(text[:verb.start()]))


@lru_cache(maxsize=4)
def _theme_rx(gaz: Gazetteer) -> re.Pattern:
    """'the theme "..."', 'the theme was "..."', 'under the theme entitled "..."'."""
    return re.compile(rf"\btheme\s+(?:(?:{_alt(gaz.cues['theme_links'])})\s+)?[\"“]([^\"”]{{5,300}})[\"”]", re.I)


@rule(reads=("meeting",),
      writes=("r2p:theme",))
def rule_theme(ctx: Ctx) -> None:
    """The meeting's theme, as the text quotes it ('under the theme \"...\"')."""
    if ctx.meeting is None:
        return
    for s in ctx.an.sents:
        if '"' not in s.text and "“" not in s.text:
            continue  # cheap test first: a theme is quoted
        m = _theme_rx(ctx.gaz).search(s.text)
        if m:
            ctx.emit(ctx.meeting.iri, R2P.theme, _literal(m.group(1).strip()), s)


@rule(reads=("meeting", "phrases", "title_sent"),
      writes=("phrases", "r2p:hasParticipant"))
def rule_participants(ctx: Ctx) -> None:
    """States and organizations that took part in the document's meeting: lists after a lead-in ('delegations
    of', 'represented were', 'attended by'), lists that continue a previous sentence ('The second group included
    ...'), a list before an attendance verb ('A and B both attended'), 'the latter', and states named by adjective
    ('the Danish and Ghanaian delegations'). A sentence about another meeting gives none."""
    if ctx.meeting is None:
        return
    meeting = ctx.meeting.iri
    rep = re.compile(rf"\b(?:{_alt(ctx.gaz.cues['delegate_nouns'])})\s+(?:from|of)\b", re.I)
    context = ctx.cue("participation_context")
    last_list: list[Ment] = []      # the latest list of participants, for 'the latter'
    last_context = -10              # index of the latest sentence about who took part
    for s in ctx.an.sents[1:]:
        about_participants = bool(context.search(s.text))
        if not s.mentions_any((STATE, ORG_LABEL, STATE_ADJ)):
            latter = _the_latter(ctx, s, last_list)
            if (latter or about_participants) and not _about_other_meeting(ctx, s):
                for a in latter:
                    ctx.emit(meeting, R2P.hasParticipant, a.iri, s)
                if about_participants:
                    last_context = s.idx
            continue  # only states and organizations are read as participants here
        if _about_other_meeting(ctx, s):
            continue
        if s.idx - last_context > 2 and _nothing_to_find(ctx, s, about_participants):
            if about_participants:  # no pattern below can match: only the list for 'the latter' moves on
                last_context = s.idx
            last_list = _coordinated_tail(s, s.agents(labels=(STATE, ORG_LABEL)))
            continue
        found: list[Ment] = []
        for m in rep.finditer(s.text):
            end = re.search(r"\bin its capacity\b|;", s.text[m.end():])
            hi = m.end() + (end.start() if end else len(s.text))
            found += [a for a in s.agents(m.end(), hi, labels=(STATE, ORG_LABEL)) if not _in_parens(s.text, a.start - s.start)]
        found += _led_lists(ctx, s)
        if s.idx - last_context <= 2:
            found += _continued_list(ctx, s)
        found += _listed_before_attendance(ctx, s)
        found += _adjective_participants(ctx, s, about_participants)
        latter = _the_latter(ctx, s, last_list)
        found += latter
        found = [a for a in found if _usable_agent(ctx, a)]
        for a in found:
            ctx.emit(meeting, R2P.hasParticipant, a.iri, s)
        if found or about_participants:
            last_context = s.idx
        if found and not latter:
            last_list = found
        elif not found:
            last_list = _coordinated_tail(s, s.agents(labels=(STATE, ORG_LABEL)))


def _nothing_to_find(ctx: Ctx, s: Sent, about_participants: bool) -> bool:
    """None of the words that every way of naming participants needs is in the sentence (but a list that
    continues the previous sentence): a lead-in, a delegate noun, an attendance verb, or a delegation word in
    a sentence about attendance or speaking."""
    if _cue_probe(ctx.gaz, "delegate_nouns", "participant_lead", "attendance_predicates").search(s.text):
        return False
    return not (about_participants or ctx.cue("speaking").search(s.text)) \
        or not _cue_probe(ctx.gaz, "participant_heads").search(s.text)


def _list_after(ctx: Ctx, s: Sent, pos: int) -> list[Ment]:
    """The list that starts at a position, after an optional colon and 'the'."""
    gap = re.match(r"\s*:?\s*(?:the\s+)?", s.text[pos:])
    return _list_at(ctx, s, pos + gap.end(), labels=(STATE, ORG_LABEL, STATE_ADJ), whole_items=True)


def _led_lists(ctx: Ctx, s: Sent) -> list[Ment]:
    """'Represented were A, B and C', 'attended by the delegations of A and B', 'thirty states, among them A and B'."""
    out = []
    for m in ctx.cue("participant_lead").finditer(s.text):
        out += _list_after(ctx, s, m.end())
    return out


def _continued_list(ctx: Ctx, s: Sent) -> list[Ment]:
    """'The second group included A, B and C' right after a sentence about who took part."""
    lead = _re(rf"\s*(?:{ctx.cue('participant_continuation').pattern})\s*,?\s*(?:also\s+)?"
                    rf"(?:{ctx.cue('inclusion_verbs').pattern})", re.I).match(s.text)
    return _list_after(ctx, s, lead.end()) if lead else []


def _listed_before_attendance(ctx: Ctx, s: Sent) -> list[Ment]:
    """'Norway and Peru (both) attended', 'A, B and C were represented': the list that ends before the verb."""
    out = []
    for v in ctx.cue("attendance_predicates").finditer(s.text):
        before = s.text[:v.start()]
        both = re.search(r"(?:,?\s+(?:both|all|also|each))?\s*$", before)
        agents = [a for a in s.agents(0, both.start(), labels=(STATE, ORG_LABEL, STATE_ADJ))
                  if a.end - s.start == both.start() or re.fullmatch(r"\s*", s.text[a.end - s.start:both.start()])]
        if not agents:
            continue
        tail = _coordinated_tail(s, [a for a in s.agents(0, agents[-1].end - s.start, labels=(STATE, ORG_LABEL, STATE_ADJ))])
        if len(tail) > 1 or re.search(r"(?:^|[.;:]\s*|\b(?:and|while|whereas)\s+)(?:the\s+)?$",
                                      s.text[:tail[0].start - s.start]):
            out += tail  # a single agent must be the subject itself, not the end of a longer phrase
    return out


def _adjective_participants(ctx: Ctx, s: Sent, about_participants: bool) -> list[Ment]:
    """'The Danish, Swedish and Ghanaian delegations attended': adjectives and possessives before a delegation word,
    in a sentence about attendance or speaking."""
    if not (about_participants or ctx.cue("speaking").search(s.text)):
        return []
    heads = ctx.cue("participant_heads")
    out = []
    for a in s.agents(labels=(STATE_ADJ, STATE)):
        rs, re_ = s.rel(a)
        if a.label == STATE_ADJ:
            if not heads.fullmatch(a.text.split()[-1]):
                continue
            out.append(a)
            out += _bare_adjectives_before(ctx, s, rs)
        elif _re(rf"['’]s\s+(?:{heads.pattern})", re.I).match(s.text[re_:]):
            out.append(a)
    return out


def _bare_adjectives_before(ctx: Ctx, s: Sent, pos: int) -> list[Ment]:
    """'the Danish, Swedish and Ghanaian delegations': the adjectives coordinated before the last one."""
    out = []
    rx = _bare_adjective_rx(ctx.gaz)
    head = s.text[:pos]
    while True:
        m = rx.search(head)
        if not m:
            return out
        start = s.start + m.start(1)
        out.append(Ment(start, s.start + m.end(1), STATE_ADJ, ctx.gaz.adjectives[m.group(1)], m.group(1)))
        head = head[:m.start()]


@lru_cache(maxsize=4)
def _bare_adjective_rx(gaz: Gazetteer) -> re.Pattern:
    """A state adjective at the end of a text, followed by a list separator."""
    adj_rx = "|".join(re.escape(a) for a in sorted(gaz.adjectives, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({adj_rx})(?:\s*,\s*(?:and\s+)?|\s+and\s+)$")


def _the_latter(ctx: Ctx, s: Sent, last: list[Ment]) -> list[Ment]:
    """'The latter attended' (the last of the previous list), 'the former', 'both'."""
    if len(last) < 2:
        return []
    m = _re(rf"\b(?:the\s+)?(latter|former|both(?:\s+of\s+them)?)\s+(?:(?:also|later|then)\s+)?"
                  rf"(?:{ctx.cue('attendance_predicates').pattern})", re.I).search(s.text)
    if not m:
        return []
    word = m.group(1).lower()
    return last[-1:] if word == "latter" else last[:1] if word == "former" else last[-2:]


def _about_other_meeting(ctx: Ctx, s: Sent) -> bool:
    """The sentence speaks of another meeting: another annual meeting by its ordinal, or an event noun ('workshop',
    'regional meeting') that the document's title does not use for its own meeting."""
    if any(o != ctx.meeting.ordinal for o, _, _ in _meeting_mentions(ctx, s)):
        return True
    if not ctx.in_text("other_event_nouns"):
        return False  # no event noun in the document: none in this sentence either
    title = ctx.title_sent.text.lower() if ctx.title_sent else ""
    for m in ctx.cue("other_event_nouns").finditer(s.text):
        if m.group(0).lower() in title:
            continue  # the document's own meeting
        before, after = s.text[:m.start()], s.text[m.end():m.end() + 60]
        # Who took part in it: 'a workshop held earlier was attended by ...', 'at a regional meeting, A and B ...'.
        if re.search(r"\b(?:at|during|in)\s+(?:the|a|an|that|this)\s+(?:[\w-]+\s+){0,3}$", before) or \
                ctx.cue("participation_context").search(after) or ctx.cue("participant_lead").search(after):
            return True
    return False
