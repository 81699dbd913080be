"""Themes: the sentences that discuss a theme of the scheme (gazetteers/themes.json), and the meeting that did."""
from __future__ import annotations

import re
from functools import lru_cache

from rdflib import URIRef

from r2pkg.graph import iris
from ..analysis import Ment, Sent
from ..gazetteer import CRIME, GOV_BODY, ORG as ORG_LABEL, PERSON, ROLE, Gazetteer
from ..themes import cues_in
from .base import Ctx, R2P, _alt, rule
from .situations import pillars_in

# A cue inside one of these names names the organization, post or person, not the theme ("the Office on
# Genocide Prevention").
_NAMES = (ORG_LABEL, ROLE, GOV_BODY, PERSON)
EVIDENCE_OF_MEETING = 3   # sentences that show a meeting discussed a theme (the first ones)


@lru_cache(maxsize=4)
def _title_before(gaz: Gazetteer) -> re.Pattern:
    """The end of a text that starts the name of a post or an office: a role noun or an office head, in capitals, with
    capitalised words or small words after it ('Special Advisers on the', 'Ministry for')."""
    heads = [*gaz.cues["role_nouns"], *gaz.cues["government_office_heads"]]
    return re.compile(rf"\b(?:{_alt(heads)})s?(?:\s+(?:[A-Z][\w'’-]*|of|on|for|the|and))*\s+$")


@rule(reads=("meeting",),
      writes=("r2p:discussesTheme", "r2p:discussed"))
def rule_sentence_themes(ctx: Ctx) -> None:
    """Each sentence's themes (r2p:discussesTheme on the sentence), from one pass of the cue pattern, the crimes
    the gazetteer recognised and the pillars by number; the meeting discussed each (a few sentences as evidence)."""
    said: dict[URIRef, int] = {}     # sentences given as the meeting's evidence, by theme
    title_before = _title_before(ctx.gaz)
    place = str(iris.sentence(ctx.slug, 0, 0)).removesuffix("0,0")   # a sentence's IRI, but for its span
    for s in ctx.an.sents:
        found = sentence_themes(s, title_before)
        if not found:
            continue
        span = ctx.span(s)
        sentence = URIRef(f"{place}{span.start},{span.end}")
        for theme in found:
            ctx.emit(sentence, R2P.discussesTheme, theme, s, limit=1)
            if ctx.meeting is not None and said.get(theme, 0) < EVIDENCE_OF_MEETING:
                said[theme] = said.get(theme, 0) + 1
                ctx.emit(ctx.meeting.iri, R2P.discussed, theme, s, limit=EVIDENCE_OF_MEETING)


def sentence_themes(s: Sent, title_before: re.Pattern) -> list[URIRef]:
    """The themes a sentence discusses, in the order they first come. A cue that lies inside a longer name says
    nothing of its theme ("the Office on Genocide Prevention"), nor does a cue in capitals after the title of a post
    the recogniser did not know ("the Special Envoys for Atrocity Prevention"); a cue that is the whole name does
    ("the International Criminal Court")."""
    found = cues_in(s.text)
    if found:
        names = [(m.start - s.start, m.end - s.start) for m in s.ments if m.label in _NAMES]
        found = [theme for start, end, theme in found
                 if not any(lo <= start and end <= hi and end - start < hi - lo for lo, hi in names)
                 and not (s.text[start].isupper() and title_before.search(s.text, max(0, start - 80), start))]
    found += [m.iri for m in s.ments if m.label == CRIME and not _in_a_name(s, m)]
    found += pillars_in(s.text)
    return list(dict.fromkeys(found))


def _in_a_name(s: Sent, m: Ment) -> bool:
    """A crime written with capitals inside a sentence is a word of a name ("the Director for War Crimes"), not the
    crime discussed; at the start of a sentence, or in a heading in capitals, it is the crime."""
    return m.start > s.start and m.text[:1].isupper() and not m.text.isupper()
