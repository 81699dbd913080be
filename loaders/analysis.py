"""From cleaned text to blocks, sentences and resolved mentions (in cleaned-text coordinates).

Requires: a cleaned `MappedText` (one block per line). Assigns: `Block`s (title, heading, subheading,
item, paragraph, with their section), `Sent`ences and `Ment`ions whose `iri` is the entity they name:
gazetteer entities, government bodies tied to a state, and persons resolved within the document and
through the curated persons file.
"""
from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import URIRef

from r2pkg.graph import iris
from r2pkg.graph.vocab import R2P

from .gazetteer import (CITY, GOV_BODY, MECHANISM, ORG, PERSON, ROLE, STATE, STATE_ADJ, Entry, Gazetteer,
                        data_json, fold)
from .nlp import NAME_REGEX, PLAIN_NAME, analyse, honorific_tokens
from .text import MappedText, _marker, is_caps_heading
from .wordlists import word_alternation

AGENT_LABELS = (STATE, ORG, GOV_BODY, STATE_ADJ)

# A gazetteer entity's IRI, made once per process: the same few hundred come back in every document, and rdflib
# checks an IRI's characters each time it makes one (a URIRef is immutable, so one object serves them all).
_iri = lru_cache(maxsize=8192)(URIRef)


@dataclass
class Block:
    idx: int
    start: int
    end: int
    text: str
    kind: str                   # title | heading | subheading | item | para
    number: int | None = None   # list item number
    body_start: int = 0         # where the text after a list marker starts
    section: int | None = None  # index of the heading block above
    subsection: int | None = None


@dataclass
class Ment:
    start: int
    end: int
    label: str
    iri: URIRef
    text: str
    hon_start: int | None = None  # persons: where the honorific or title before the name starts


@dataclass
class Sent:
    idx: int
    start: int
    end: int
    text: str
    block: Block
    ments: list[Ment] = field(default_factory=list)

    def agents(self, lo: int = 0, hi: int | None = None, labels=AGENT_LABELS) -> list[Ment]:
        """Mentions of the given labels inside [lo, hi) relative to the sentence start."""
        hi = len(self.text) if hi is None else hi
        return [m for m in self.ments if m.label in labels and m.start - self.start >= lo
                and m.end - self.start <= hi]

    def mentions_any(self, labels: tuple[str, ...]) -> bool:
        """Whether the sentence has a mention of one of these labels (rules skip sentences that cannot match)."""
        return any(m.label in labels for m in self.ments)

    def rel(self, m: Ment) -> tuple[int, int]:
        return m.start - self.start, m.end - self.start


@dataclass
class Analysis:
    mapped: MappedText
    blocks: list[Block]
    sents: list[Sent]
    ments: list[Ment]
    entities: dict[URIRef, tuple[URIRef, str]]   # minted here (persons, bodies): iri -> (class, prefLabel)
    body_state: dict[URIRef, URIRef]              # government body -> its state

    @property
    def text(self) -> str:
        return self.mapped.text

    def sent_at(self, pos: int) -> Sent | None:
        for s in self.sents:
            if s.start <= pos < s.end:
                return s
        return None


# ---------------------------------------------------------------------------------------------

def analyse_text(mapped: MappedText, gaz: Gazetteer) -> Analysis:
    text = mapped.text
    blocks = _make_blocks(text, gaz)
    an = analyse(text)
    doc = an.doc
    sents = _make_sentences(doc, text, blocks)
    entities: dict[URIRef, tuple[URIRef, str]] = {}
    body_state: dict[URIRef, URIRef] = {}

    # Gazetteer mentions.
    raw: list[Ment] = []
    for ent in doc.ents:
        ent_id = ent.ent_id_
        if not ent_id:
            continue
        start, end = ent.start_char, ent.end_char
        ent_text = text[start:end]  # = ent.text, which would make a Token per token
        if ent.label_ == STATE and len(ent_text) <= 3 and ent_text.isupper():
            blk = _block_at(blocks, start)
            if blk and blk.kind in ("heading", "title"):
                continue  # "US" in an all-caps heading is a word, not the state
            prev = doc[ent.start - 1] if ent.start > 0 else None
            if prev is not None and prev.text[:1].isupper() and prev.ent_type_ == "" and not prev.is_sent_start \
                    and prev.text not in gaz.cues["title_words"]:
                continue  # "Emerge USA": part of an unknown proper name
        raw.append(Ment(start, end, ent.label_, _iri(ent_id), ent_text))

    sent_starts = [s.start for s in sents]
    sent_of = {id(m): s for m in raw if (s := _sent_at(sents, sent_starts, m.start)) is not None}

    # Government bodies: tie each to a state or drop it.
    ments: list[Ment] = []
    for m in raw:
        if m.label == GOV_BODY:
            s = sent_of.get(id(m))
            state = _body_state(m, s, raw, blocks, text, gaz)
            if state is None:
                continue
            kind = str(m.iri).split(":", 1)[1]
            st = gaz.get(state)
            iri = iris.entity("org", f"{st.slug}-{kind}")
            entities[iri] = (R2P.GovernmentBody, gaz.body_kinds[kind].label_for(st.pref))
            body_state[iri] = state
            m = Ment(m.start, m.end, m.label, iri, m.text)
        ments.append(m)

    # Persons.
    ments.extend(_persons(doc, text, an.person_matches, gaz, entities))
    ments.sort(key=lambda m: (m.start, -m.end))
    starts = [m.start for m in ments]
    for s in sents:
        s.ments = ments[bisect_left(starts, s.start):bisect_left(starts, s.end)]
    return Analysis(mapped, blocks, sents, ments, entities, body_state)


def _sent_at(sents: list[Sent], starts: list[int], pos: int) -> Sent | None:
    """The sentence containing pos (sentences are disjoint and in order; starts are theirs)."""
    i = bisect_right(starts, pos) - 1
    return sents[i] if i >= 0 and pos < sents[i].end else None


def _block_at(blocks: list[Block], pos: int) -> Block | None:
    for b in blocks:
        if b.start <= pos < b.end:
            return b
    return None


def _make_blocks(text: str, gaz: Gazetteer) -> list[Block]:
    blocks: list[Block] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        marker, number = _marker(line)
        b = Block(len(blocks), start, end, line, "para", number, start + len(marker))
        if not blocks:
            b.kind = "title"
        elif marker:
            b.kind = "item"
        elif is_caps_heading(line):
            b.kind = "heading"
        blocks.append(b)
    for i, b in enumerate(blocks):
        if b.kind == "para" and i + 1 < len(blocks) and len(b.text.split()) <= 12 \
                and not b.text.rstrip().endswith(('.', '!', '?', ':', ';', ',', '"', '”')) and b.text[:1].isupper() \
                and blocks[i + 1].kind in ("para", "item"):
            b.kind = "subheading"
    section = subsection = None
    for b in blocks:
        if b.kind == "heading":
            section, subsection = b.idx, None
        elif b.kind == "subheading":
            subsection = b.idx
        b.section, b.subsection = section, subsection if b.kind != "heading" else None
    return blocks


_LINE = re.compile(r"[^\n]+")
_BARE_MARKER = re.compile(r"(?:[-–•▪]\s*)?(?:\d{1,2}[.)])?|[-–•▪]")  # a list marker with nothing after it


def _make_sentences(doc, text: str, blocks: list[Block]) -> list[Sent]:
    """spaCy sentences, cut at block boundaries; a bare list marker joins the sentence after it."""
    pieces: list[tuple[int, int]] = []
    for sent in doc.sents:
        s, e = sent.start_char, sent.end_char
        for part in _LINE.finditer(text[s:e]):
            ps, pe = s + part.start(), s + part.end()
            while ps < pe and text[ps].isspace():
                ps += 1
            while pe > ps and text[pe - 1].isspace():
                pe -= 1
            if pe > ps:
                pieces.append((ps, pe))
    merged: list[tuple[int, int]] = []
    for ps, pe in pieces:
        if merged and _BARE_MARKER.fullmatch(text[merged[-1][0]:merged[-1][1]]) \
                and "\n" not in text[merged[-1][1]:ps]:
            merged[-1] = (merged[-1][0], pe)
        else:
            merged.append((ps, pe))
    sents = []
    bi = 0
    for ps, pe in merged:
        while bi + 1 < len(blocks) and blocks[bi].end <= ps:
            bi += 1
        sents.append(Sent(len(sents), ps, pe, text[ps:pe], blocks[bi]))
    return sents


def _body_state(m: Ment, s: Sent | None, raw: list[Ment], blocks: list[Block], text: str,
                gaz: Gazetteer) -> URIRef | None:
    after = text[m.end:m.end + 60]
    for other in raw:
        if other.label == STATE and other.start >= m.end and re.fullmatch(r"\s+of\s+(?:the\s+)?",
                                                                         text[m.end:other.start]):
            return other.iri
    before = re.search(r"([A-Z][\w-]*)\s+$", text[max(0, m.start - 30):m.start])
    if before and before.group(1) in gaz.adjectives:
        return gaz.adjectives[before.group(1)]
    del after
    for other in reversed(raw):
        if other.label == STATE and other.end <= m.start and m.start - other.end < 130 \
                and re.fullmatch(r"\s+and\s+[^,;.()]*", text[other.end:m.start]):
            return other.iri  # "R2P Focal Point of Norway and Director ... at the Ministry of Foreign Affairs"
    if s is not None:
        blk = s.block
        if blk.subsection is not None:
            head = blocks[blk.subsection]
            st = [o for o in raw if o.label == STATE and head.start <= o.start < head.end]
            if st:
                return st[0].iri
        states = {o.iri for o in raw if o.label == STATE and s.start <= o.start < s.end}
        if len(states) == 1:
            return next(iter(states))
    return None


# ---------------------------------------------------------------------------------------------
# Persons

_NAME_RX = re.compile(NAME_REGEX)
PLAIN_NAME_RX = re.compile(PLAIN_NAME["TEXT"]["REGEX"])
_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")
_NAME_ENTS = ("", STATE, CITY, "REGION")  # a name token may look like a place ("Jordan", "Paris")


@lru_cache(maxsize=1)
def person_forms() -> dict:
    """How names and titles are written (gazetteers/person-forms.json)."""
    return data_json("person-forms.json")


def _is_name_word(tok) -> bool:
    return bool(_NAME_RX.match(tok.text)) and tok.text != "-" and tok.ent_type_ in _NAME_ENTS


def _name_end(doc, ne: int) -> int:
    """Extend a name over what the token pattern stops at: particles ('van der Berg', 'bin Salem'),
    a hyphen before a lower-case part ('Abdul-rahman', 'al-Harbi'), and the name words after them."""
    particles = set(person_forms()["name_particles"])
    n = len(doc)
    while ne > 1 and doc[ne - 1].text == "-":
        ne -= 1  # the token pattern takes a hyphen as a name word: look at what follows it afresh
    while ne < n:
        tok = doc[ne]
        if tok.text in ("-", "‐") and ne + 1 < n and not doc[ne - 1].whitespace_ and not tok.whitespace_ \
                and doc[ne + 1].is_alpha:
            ne += 2
            continue
        j = ne
        while j < n and doc[j].text in particles:
            j += 1
        if j > ne and j < n and (_is_name_word(doc[j]) or doc[j].text == "-" and not doc[j - 1].whitespace_):
            ne = j if doc[j].text == "-" else j + 1
            continue
        if _is_name_word(tok) and doc[ne - 1].text in particles | {"-"}:
            ne += 1
            continue
        break
    while ne > 0 and (doc[ne - 1].text in particles or doc[ne - 1].text == "-"):
        ne -= 1
    return ne


_NAME_WORD = r"[A-ZÀ-ÖØ-ÞĀ-ſ][a-zà-ÿā-ſ'’]+"
_NAME_RUN = rf"{_NAME_WORD}(?:[\s-]+(?:{_NAME_WORD}|[A-Z]\.|[a-z]{{1,4}})){{1,6}}"


@lru_cache(maxsize=4)
def _bare_name_rxs(gaz: Gazetteer) -> dict[str, re.Pattern]:
    """Where a name without honorific may stand (only what comes before the name is consumed, so that names
    in a row are each found; group 1 is the name):
    - after a comma, 'and', 'by', an attribution verb ..., with a title after it ('..., and Carla Mendes,
      Director of Policy');
    - after a title and a comma, before a comma and a verb ('Sweden's State Secretary, Olle Dahl, said');
    - at a sentence's start, before a title and a verb ('Karin Ek, Minister for Trade, replied')."""
    forms = person_forms()
    leads = forms["bare_name_leads"]
    words = {w for w in leads if w.isalpha()} | set(forms["attribution_verbs"])
    lead = word_alternation(words, not_after=r"\w", or_chars="".join(w for w in leads if not w.isalpha()))
    nouns = word_alternation(gaz.cues["role_nouns"], not_after=r"\w")
    return {
        "title_after": re.compile(rf"{lead}\s+(?=({_NAME_RUN}),\s+(?:the\s+|former\s+)?[A-Z])"),
        "title_before": re.compile(rf"{nouns}\b(?:\s+(?:of|for|on|to|at)\s+[^,.;]{{1,80}}?)?,\s+"
                                   rf"(?=({_NAME_RUN}),\s+[a-z])"),
        # Tried only where a sentence or line starts (see _bare_name_matches).
        "sentence_start": re.compile(rf"(?=({_NAME_RUN}),\s+[^,.;]{{2,90}},\s+[a-z])"),
    }


_LINE_OR_SENTENCE_END = re.compile(r"[\n.!?](?:(?<=\n)|\s)")  # a class first: the engine skips to those characters


def _bare_name_matches(kind: str, rx: re.Pattern, text: str) -> Iterator[re.Match]:
    """The pattern's matches; a name at a sentence start is tried only where a line or sentence starts
    (a search for those positions is far faster than trying the name pattern everywhere)."""
    if kind != "sentence_start":
        return rx.finditer(text)
    starts = sorted({0, *(m.end() for m in _LINE_OR_SENTENCE_END.finditer(text))})
    return (m for m in map(rx.match, itertools.repeat(text), starts) if m)


@lru_cache(maxsize=4)
def _bare_name_words(gaz: Gazetteer) -> tuple[frozenset[str], frozenset[str], re.Pattern]:
    """Words a bare name cannot contain, the small words, and the role nouns a title needs."""
    forms = person_forms()
    stop = frozenset(gaz.cues["title_words"]) | frozenset(forms["org_heads"]) | frozenset(gaz.cues["small_words"]) \
        | {h for h in gaz.honorifics if " " not in h}
    role_noun = re.compile(r"\b(?:" + "|".join(map(re.escape, gaz.cues["role_nouns"])) + r")\b")
    return stop, frozenset(gaz.cues["small_words"]), role_noun


def _bare_names(doc, text: str, gaz: Gazetteer) -> list[tuple[int, int, int, str]]:
    """Names without honorific, known by a title in apposition (see _bare_name_rxs): token checks on each
    place a pattern finds (no entity, no title or function word inside the name, a role noun in the title)."""
    stop, small, role_noun = _bare_name_words(gaz)
    out = []
    n = len(doc)
    for kind, rx in _bare_name_rxs(gaz).items():
        for m in _bare_name_matches(kind, rx, text):
            span = doc.char_span(m.start(1), m.end(1), alignment_mode="contract")
            if span is None or len(span) == 0:
                continue
            i = span.start
            if not PLAIN_NAME_RX.match(doc[i].text) or doc[i].ent_type_:
                continue
            j = i
            while j < n and j - i < 5 and (PLAIN_NAME_RX.match(doc[j].text) or _INITIALS.fullmatch(doc[j].text)) \
                    and not doc[j].ent_type_ and doc[j].text not in stop:
                j += 1
            j = _name_end(doc, j) if j > i else j
            words = [t for t in doc[i:j] if t.text != "-"]
            if not 2 <= len(words) <= 5 or j >= n - 2 or doc[j].text != "," or not PLAIN_NAME_RX.match(words[-1].text):
                continue
            if kind == "title_before":
                if doc[j + 1].text in small or not doc[j + 1].is_lower:
                    continue
                out.append((i, j, i, "BARE_NAME"))
                continue
            k = j + 1
            while k < n and k - j <= 12 and doc[k].text not in (",", ".", ";"):
                k += 1
            if not (role_noun.search(doc[j + 1:k].text) or any(t.ent_type_ == ROLE for t in doc[j + 1:k])):
                continue
            if kind == "sentence_start" and not (k + 1 < n and doc[k].text == "," and doc[k + 1].is_lower
                                                 and doc[k + 1].text not in small):
                continue
            out.append((i, j, i, "BARE_NAME"))
    return out


def _persons(doc, text: str, matches, gaz: Gazetteer, entities) -> list[Ment]:
    honorifics = honorific_tokens()
    title_words = set(gaz.cues["title_words"])
    longest = max((len(h) for h in honorifics), default=0)
    cands: list[tuple[int, int, int, str]] = []  # (name start tok, name end tok, hon start tok, rule)
    for rule, s, e in matches:
        if rule == "HONORIFIC_NAME":
            k = 0
            window = tuple(t.text for t in doc[s:s + longest])
            for h in honorifics:
                if window[:len(h)] == h:
                    k = len(h)
                    break
            if k == 0:
                continue
            hon = doc[s:s + k].text
            prev = doc[s - 1] if s > 0 else None
            if prev is not None and prev.lower_ in ("the", "a", "an") and "." not in hon:
                continue  # "the Judge Advocate": a title, not a name
            ns = s + k
        elif rule == "TITLE_NAME":
            ns = s
            while ns < e and doc[ns].ent_type_ == ROLE:
                ns += 1
            if s > 0 and doc[s - 1].text == "UN":
                s -= 1
        else:  # NAME_OF_ORG
            prev = doc[s - 1] if s > 0 else None
            if prev is None or prev.text not in (",", "–", "—", "and", ";", ":", "-"):
                continue
            if doc[s].text in title_words or doc[s + 1].text in title_words:
                continue
            ns, e = s, s + 2
        ne = _name_end(doc, e)
        while ne > ns and doc[ne - 1].text == "-":
            ne -= 1
        while ne > ns + 1 and _INITIALS.fullmatch(doc[ne - 1].text):
            ne -= 1  # a name ends in a surname, not an initial
        if ne <= ns or not doc[ns].text[:1].isupper():
            continue
        cands.append((ns, ne, s, rule))
    cands.extend(_bare_names(doc, text, gaz))
    # Longest first, no overlaps.
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: set[int] = set()
    chosen = []
    for c in cands:
        if any(i in taken for i in range(c[0], c[1])):
            continue
        taken.update(range(c[0], c[1]))
        chosen.append(c)
    chosen.sort()

    out: list[Ment] = []
    surnames: dict[str, URIRef] = {}
    for ns, ne, hs, _rule in chosen:
        span = doc[ns:ne]
        start, end = span.start_char, span.end_char
        name = text[start:end]
        if sum(t.text != "-" and not _INITIALS.fullmatch(t.text) for t in span) >= 2:
            known = gaz.persons.get(fold(name))
            if known is not None:
                iri, pref = known.iri, known.pref
            else:
                iri, pref = iris.entity("person", iris.slug_or_digest(name)), name
            entities.setdefault(iri, (R2P.Person, pref))
            last = name.split()[-1]
            surnames[fold(last)] = iri
            if "-" in last:
                surnames[fold(last.split("-")[-1])] = iri
        else:
            key = fold(name)
            iri = surnames.get(key)
            if iri is None:
                known = gaz.persons.get(key)
                if known is None:
                    continue  # a surname we cannot tie to a full name: no mention, no fact
                iri = known.iri
                entities.setdefault(iri, (R2P.Person, known.pref))
        out.append(Ment(start, end, PERSON, iri, name, hon_start=doc[hs].idx))
    return out


__all__ = ["Analysis", "Block", "Ment", "Sent", "analyse_text", "Entry", "CITY", "MECHANISM"]
