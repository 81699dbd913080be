"""Relation rules: read facts from the sentences and mentions of an `Analysis`.

Each rule is a function `rule(ctx)` that finds something in the text and writes facts through
`ctx.emit(subject, predicate, object, evidence_sentence)`. Cue words come from gazetteers/cues.json.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Literal, URIRef, namespace

from r2pkg.graph import iris, vocab

from .analysis import Analysis, Block, Ment, Sent, person_forms
from .gazetteer import CITY, CRIME, GOV_BODY, MECHANISM, ORG as ORG_LABEL, PERSON, ROLE, STATE, STATE_ADJ, \
    Gazetteer, data_json, fold
from .model import Fact, Span


class _Terms:
    """A namespace whose terms are made once: rdflib makes a new URIRef at every attribute access
    (2 µs, some 200 times per document)."""

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_"):  # private and dunder names are Python's (copy, pickle, mock probes), not terms
            raise AttributeError(name)
        term = self._namespace[name]
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return self._namespace[name]


R2P = _Terms(vocab.R2P)
ORG, RDF, RDFS, SKOS, XSD = (_Terms(ns) for ns in (namespace.ORG, namespace.RDF, namespace.RDFS, namespace.SKOS,
                                                  namespace.XSD))
DCT = _Terms(namespace.DCTERMS)

# Literals made once per value: rdflib parses the value at every construction (10 µs, 130 times per document),
# and a Literal is immutable, so the same value can be the same object.
_literal = lru_cache(maxsize=4096, typed=True)(Literal)
# Patterns built from cue lists at run time, compiled once (the re module's own cache is shared and small).
_re = lru_cache(maxsize=512)(re.compile)

NETWORK = iris.entity("org", "global-network-of-r2p-focal-points")
GROUP_CLASS = R2P.CoordinationGroup


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@dataclass
class Meeting:
    ordinal: int | None             # None: a meeting of another series that the text gives no number
    iri: URIRef
    slug: str
    label: str = ""                 # its prefLabel (the Global Network's annual meeting when empty)
    series: URIRef | None = None    # the r2p:MeetingSeries it belongs to
    annual: bool = True             # one of the Global Network's annual meetings


@dataclass
class Ctx:
    slug: str
    an: Analysis
    gaz: Gazetteer
    facts: list[Fact] = field(default_factory=list)
    minted: dict[URIRef, tuple[URIRef, str]] = field(default_factory=dict)  # nodes made by rules
    meeting: Meeting | None = None
    year: int | None = None
    start_date: Literal | None = None
    title_sent: Sent | None = None
    situations: set[URIRef] = field(default_factory=set)
    original: str = ""
    default_year: int | None = None   # the year of the page's date line: lent to a date written without one
    issued: Literal | None = None     # the page's date line: the document's publication date (dct:issued)
    series: dict = field(default_factory=dict)   # meeting series met in the document, by IRI
    phrases: dict = field(default_factory=dict)  # the meeting phrases of each sentence, by its index
    _seen: dict[tuple, int] = field(default_factory=dict)
    _last: dict[tuple, int] = field(default_factory=dict)  # (s, p, o, span) -> index of its latest fact
    _spans: dict[tuple[int, int], Span] = field(default_factory=dict)  # cleaned (start, end) -> original span

    # -- output -------------------------------------------------------------------------------
    def span(self, where: Sent | tuple[int, int]) -> Span:
        key = (where.start, where.end) if isinstance(where, Sent) else tuple(where)
        span = self._spans.get(key)
        if span is None:
            span = self._spans[key] = self.an.mapped.span(*key)
        return span

    def emit(self, s: URIRef, p: URIRef, o, where: Sent | tuple[int, int], limit: int = 3) -> None:
        key = (s, p, o)
        n = self._seen.get(key, 0)
        if n >= limit:
            return
        span = self.span(where)
        # The same triple with the same evidence among the last 50 facts is a repeat (a dict lookup, not a scan).
        last = self._last.get((key, span))
        if last is not None and last >= len(self.facts) - 50:
            return
        self._seen[key] = n + 1
        self._last[(key, span)] = len(self.facts)
        self.facts.append(Fact(s, p, o, span))

    def node(self, iri: URIRef, cls: URIRef, label: str, where) -> URIRef:
        """A node made by a rule (meeting, post, role assignment...): its type and one prefLabel."""
        if iri not in self.minted:
            self.minted[iri] = (cls, label)
            self.emit(iri, RDF.type, cls, where, limit=1)
            self.emit(iri, SKOS.prefLabel, _literal(label), where, limit=1)
        return iri

    # -- helpers ------------------------------------------------------------------------------
    def label_of(self, iri: URIRef) -> str:
        e = self.gaz.get(iri)
        if e is not None:
            return e.pref
        if iri in self.an.entities:
            return self.an.entities[iri][1]
        if iri in self.minted:
            return self.minted[iri][1]
        return str(iri).rsplit("/", 1)[-1]

    def slug_of(self, iri: URIRef) -> str:
        return str(iri).rsplit("/", 1)[-1]

    def cue(self, name: str) -> re.Pattern:
        return _cue_rx(self.gaz, name)

    def year_lit(self, year: int | None) -> Literal | None:
        return _literal(str(year), datatype=XSD.gYear) if year else None

    def when(self) -> str:
        return str(self.year) if self.year else (self.meeting.slug if self.meeting else self.slug)


_CUE_CACHE: dict[str, re.Pattern] = {}


def _cue_rx(gaz: Gazetteer, name: str) -> re.Pattern:
    if name not in _CUE_CACHE:
        words = gaz.cues[name]
        parts = [w if "[" in w else re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)]
        _CUE_CACHE[name] = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.I)
    return _CUE_CACHE[name]


# ---------------------------------------------------------------------------------------------
# Numbers, ordinals and dates

def number_value(gaz: Gazetteer, text: str) -> int | None:
    t = text.strip().lower()
    if t.isdigit():
        return int(t)
    n = gaz.numbers
    total = 0
    for w in re.split(r"[\s\-–—]+", t):
        if w in n["units"]:
            total += n["units"][w]
        elif w in n["tens"]:
            total += n["tens"][w]
        elif w == "hundred":
            total = max(total, 1) * 100
        elif w == "and":
            continue
        else:
            return None
    return total or None


def ordinal_value(gaz: Gazetteer, text: str) -> int | None:
    t = text.strip().lower()
    m = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)", t)
    if m:
        return int(m.group(1))
    n = gaz.numbers
    parts = re.split(r"[\s\-–—]+", t)
    if len(parts) == 1:
        return n["ordinal_units"].get(t) or n["ordinal_tens"].get(t)
    if len(parts) == 2 and parts[0] in n["tens"] and parts[1] in n["ordinal_units"]:
        return n["tens"][parts[0]] + n["ordinal_units"][parts[1]]
    return None


@lru_cache(maxsize=4)
def _number_rx(gaz: Gazetteer) -> str:
    n = gaz.numbers
    unit = "|".join(sorted(n["units"], key=len, reverse=True))
    tens = "|".join(n["tens"])
    return rf"(?:\d+(?:,\d{{3}})*|(?:{tens})(?:[\s\-–—]+(?:{unit}))?|{unit})"


@lru_cache(maxsize=4)
def _ordinal_rx(gaz: Gazetteer) -> str:
    n = gaz.numbers
    units = "|".join(sorted(n["ordinal_units"], key=len, reverse=True))
    tens = "|".join(n["tens"])
    otens = "|".join(n["ordinal_tens"])
    return rf"(?:\d{{1,3}}(?:st|nd|rd|th)|(?:{tens})[\s\-–—]+(?:{units})|{otens}|{units})"


@lru_cache(maxsize=4)
def _month_rx(gaz: Gazetteer) -> str:
    months = gaz.numbers["months"]
    full = [m for m, v in months.items() if not any(o != m and o.startswith(m) and w == v for o, w in months.items())]
    return "|".join(sorted(full, key=len, reverse=True))


@dataclass
class DateFound:
    start: Literal
    end: Literal | None
    pos: int
    length: int = 0   # of the date expression in the text


@lru_cache(maxsize=1)
def _meeting_data() -> dict:
    """Meeting nouns, series words, date-line words and weekdays (gazetteers/meetings.json)."""
    return data_json("meetings.json")


@lru_cache(maxsize=4)
def _month_any_rx(gaz: Gazetteer) -> str:
    """Month names and their abbreviations ('Sep', 'Sept.'): a date expression ties them to a day."""
    return "|".join(sorted(gaz.numbers["months"], key=len, reverse=True))


@lru_cache(maxsize=4)
def _date_patterns(gaz: Gazetteer) -> list[tuple[str, re.Pattern]]:
    """The date expressions find_date knows, compiled once per gazetteer. A day may carry its weekday
    ('Tuesday 8 and Wednesday 9 March 2016'); a span may cross months ('30 June to 2 July 2015')."""
    mon = _month_any_rx(gaz)
    weekday = _alt(_meeting_data()["weekdays"])
    day = rf"(?:the\s+)?(?:(?:{weekday})\.?,?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?"
    sep = r"\s*(?:and|to|until|till|through|-|–|—|‐|‑)\s*"
    pats = [
        ("dmdmy", rf"\b{day}\s+(?:of\s+)?({mon})\.?{sep}{day}\s+(?:of\s+)?({mon})\.?,?\s+(\d{{4}})\b"),
        ("mdmdy", rf"\b({mon})\.?\s+{day}{sep}({mon})\.?\s+{day},?\s+(\d{{4}})\b"),
        ("ddmy", rf"\b{day}{sep}{day}\s+(?:of\s+)?({mon})\.?(?:,?\s+(\d{{4}}))?\b"),
        ("mddy", rf"\b({mon})\.?\s+{day}{sep}{day}(?:,?\s+(\d{{4}}))?\b(?![,.]?\s*\d)"),
        ("dmy", rf"\b{day}\s+(?:of\s+)?({mon})\.?(?:,?\s+(\d{{4}}))?\b"),
        ("mdy", rf"\b({mon})\.?\s+{day},?\s+(\d{{4}})\b"),
        ("md", rf"\b({mon})\.?\s+{day}\b(?![,.]?\s*\d)"),
        ("my", rf"\b(?:during|in|of|on)\s+({mon})\.?\s+(\d{{4}})\b"),
        ("y", r"\b(?:during|in)\s+((?:19|20)\d{2})\b"),
    ]
    return [(kind, re.compile(rx, re.I)) for kind, rx in pats]


def _first_date(gaz: Gazetteer, text: str) -> tuple[str, re.Match] | None:
    """The earliest date expression of a text, and its kind (the longer pattern wins a tie)."""
    best = None
    for kind, rx in _date_patterns(gaz):
        m = next((m for m in rx.finditer(text) if "may" not in m.groups()), None)  # '12 may apply': a verb
        if m and (best is None or m.start() < best[1].start()):
            best = (kind, m)
    return best


def find_date(gaz: Gazetteer, text: str, default_year: int | None) -> DateFound | None:
    """The first date expression in a sentence: full days, a month of a year, or a year. Days
    written without a year take default_year, or are no date when there is none."""
    best = _first_date(gaz, text)
    if best is None:
        return None
    kind, m = best
    g = m.groups()
    at, size = m.start(), m.end() - m.start()

    def d(y, mo, dd):
        return _literal(f"{int(y):04d}-{_month(gaz, mo):02d}-{int(dd):02d}", datatype=XSD.date)

    if kind == "dmdmy":
        return DateFound(d(g[4], g[1], g[0]), d(g[4], g[3], g[2]), at, size)
    if kind == "mdmdy":
        return DateFound(d(g[4], g[0], g[1]), d(g[4], g[2], g[3]), at, size)
    if kind in ("ddmy", "mddy"):
        mo, first, last = (g[2], g[0], g[1]) if kind == "ddmy" else (g[0], g[1], g[2])
        y = g[3] or default_year
        return DateFound(d(y, mo, first), d(y, mo, last), at, size) if y else None
    if kind in ("dmy", "mdy", "md"):
        mo, dd = (g[1], g[0]) if kind == "dmy" else (g[0], g[1])
        y = (g[2] if kind != "md" else None) or default_year
        return DateFound(d(y, mo, dd), d(y, mo, dd), at, size) if y else None
    if kind == "my":
        return DateFound(_literal(f"{g[1]}-{_month(gaz, g[0]):02d}", datatype=XSD.gYearMonth), None, at, size)
    return DateFound(_literal(g[0], datatype=XSD.gYear), None, at, size)


def _month(gaz: Gazetteer, name: str) -> int:
    return gaz.numbers["months"][name.lower().rstrip(".")]


def yearless_date_text(gaz: Gazetteer, text: str) -> str | None:
    """'20 to 22 June', 'October 21': days the text gives without a year (None when it gives one)."""
    best = _first_date(gaz, text)
    if best is None or best[0] not in ("ddmy", "mddy", "dmy", "md"):
        return None
    kind, m = best
    year_group = {"ddmy": 3, "mddy": 3, "dmy": 2}.get(kind)
    if year_group is not None and m.group(year_group + 1):
        return None
    return m.group(0).strip()


# ---------------------------------------------------------------------------------------------
# The page's own date: a date line is when the page was published, never when an event was held

_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?\b", re.I)
_URL_LINE = re.compile(r"\s*(?:https?://|www\.)\S*\s*")


def date_line(ctx: Ctx) -> tuple[Sent, DateFound] | None:
    """A line near the top holding a date and nothing else but a weekday, a time or a word such as
    'Published': '3 February 2016', 'Published 14 Sep 2019', 'Friday, April 7, 2017 - 09:30'."""
    lead = _cue_words_rx("date_line_lead")
    for s in ctx.an.sents[:8]:
        if len(s.text) > 70 or s.text.strip() != s.block.text.strip():
            continue
        found = find_date(ctx.gaz, s.text, None)
        if found is None or str(found.start.datatype) != str(XSD.date):
            continue
        rest = s.text[:found.pos] + " " + s.text[found.pos + found.length:]
        rest = lead.sub(" ", _TIME.sub(" ", rest))
        if not re.sub(r"[\s,.;:|/()\-–—]+", "", rest):
            return s, found
    return None


def dateline(ctx: Ctx, s: Sent) -> DateFound | None:
    """The dateline opening a news item's first sentence: 'Valletta, 4 May 2021 – The ministry hosted ...'."""
    m = re.match(r"[A-Z][\w’'. -]{1,40}?,\s+", s.text)
    if not m:
        return None
    found = find_date(ctx.gaz, s.text[m.end():], None)
    if found is None or found.pos != 0 or str(found.start.datatype) != str(XSD.date):
        return None
    if not re.match(r"\s*[–—-]+\s+", s.text[m.end() + found.length:]):
        return None
    return DateFound(found.start, found.end, m.end(), found.length)


@lru_cache(maxsize=16)
def _cue_words_rx(name: str) -> re.Pattern:
    """A word list of meetings.json as one pattern, on word boundaries, case-insensitive."""
    return re.compile(r"(?<![\w-])(?:" + _alt(_meeting_data()[name]) + r")(?![\w-])", re.I)


def rule_document_date(ctx: Ctx) -> None:
    """The page's date line is the document's publication date (dct:issued); its year is lent to an
    event date written without one ('on 12 and 13 June'), and to nothing else."""
    found = date_line(ctx)
    where = found[0] if found else None
    if found is None:
        for s in ctx.an.sents[:6]:
            d = dateline(ctx, s)
            if d is not None:
                found, where = (s, d), s
                break
    if found is None:
        return
    date = found[1]
    ctx.emit(iris.document(ctx.slug), DCT.issued, date.start, where, limit=1)
    ctx.issued = date.start
    ctx.default_year = int(str(date.start)[:4])


# ---------------------------------------------------------------------------------------------
# Meetings and their series
#
# A meeting belongs to a series: the Global Network's annual meetings, a regional series of focal
# points' meetings, another network's meetings, ministerial meetings... An ordinal counts within
# the series its noun phrase names ("the 3rd European R2P Focal Points Meeting" is not the Global
# Network's third), and a series no list knows is named from the text.

@dataclass(frozen=True)
class Series:
    iri: URIRef
    slug: str
    label: str                       # the series ("European Meetings of R2P Focal Points")
    singular: str                    # one of its meetings ("European Meeting of R2P Focal Points")
    annual: bool = False             # the Global Network's annual meetings
    network: URIRef | None = None    # the network whose meetings these are
    network_label: str = ""


ANNUAL_SERIES = Series(iris.entity("series", iris.ANNUAL_SERIES_SLUG), iris.ANNUAL_SERIES_SLUG,
                       "Annual Meetings of the Global Network of R2P Focal Points",
                       "Annual Meeting of the Global Network of R2P Focal Points", True, NETWORK,
                       "Global Network of R2P Focal Points")


@dataclass
class MeetingMention:
    """A meeting's noun phrase in a sentence: 'the VII Focal Points Meeting of the Y Network'."""
    ordinal: int | None
    start: int                  # relative to the sentence: the ordinal (or a possessor before it)
    end: int                    # the end of the noun phrase, qualifiers included
    series: Series | None       # None: the phrase names no series ('the sixth meeting')
    phrase: str                 # the series as the text names it, without ordinal and article


def meeting_iri(ordinal: int, series: Series = ANNUAL_SERIES) -> tuple[URIRef, str]:
    """The N-th meeting of a series and its slug; the Global Network's keep annual-meeting-N."""
    iri = iris.meeting(series.slug, ordinal)
    return iri, _iri_slug(iri)


def _iri_slug(iri: URIRef) -> str:
    return str(iri).rsplit("/", 1)[-1]


def ordinal_word(ctx: Ctx, ordinal: int) -> str:
    words = {v: k for k, v in ctx.gaz.numbers["ordinal_units"].items()}
    tens = {v: k for k, v in ctx.gaz.numbers["ordinal_tens"].items()}
    return (words.get(ordinal) or tens.get(ordinal) or f"{ordinal}th").capitalize()


def meeting_label(ctx: Ctx, ordinal: int, series: Series = ANNUAL_SERIES) -> str:
    if ordinal in ctx.gaz.numbers["ordinal_units"].values() or series.annual:
        return f"{ordinal_word(ctx, ordinal)} {series.singular}"
    return f"{series.singular} {ordinal}"


_MEETING_WORD = re.compile(r"meeting|conference|summit|symposium|retreat|workshop|round|dialogue|debate|gathering",
                           re.I)  # a cheap test first; the full noun list is meetings.json's
_ROMAN_NUMERAL = r"(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(text: str) -> int | None:
    total, prev = 0, 0
    for c in reversed(text):
        v = _ROMAN_VALUES.get(c)
        if v is None:
            return None
        total += -v if v < prev else v
        prev = max(prev, v)
    return total or None


@lru_cache(maxsize=4)
def _meeting_rx(gaz: Gazetteer) -> re.Pattern:
    """An ordinal (a word, '3rd' or a Roman numeral), up to seven qualifiers, a meeting noun."""
    data = _meeting_data()
    mods = _alt(data["meeting_modifiers"])
    nouns = _alt(data["meeting_nouns"])
    word = rf"(?:[A-Z][\w’'&.-]*|(?i:{mods}))"
    return re.compile(rf"\b(?:(?P<ord>(?i:{_ordinal_rx(gaz)}))|(?P<roman>{_ROMAN_NUMERAL}))\s+"
                      rf"(?P<pre>(?:{word}\s+){{0,7}}?)(?P<noun>(?i:{nouns}))\b")


_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "to", "&", "de", "del", "la", "des"})
_POSSESSOR = re.compile(r"(?:\bthe\s+)?((?:[A-Z][\w’'&-]*|R2P)(?:\s+(?:[A-Z][\w’'&-]*|R2P|of|for|and|the|on))*)"
                        r"['’]s\s+$")


def _tail_end(s: Sent, pos: int, neutral: frozenset[str], calendar: frozenset[str]) -> int:
    """Where the qualifiers after a meeting noun end: 'of the X Network for Y and Z', up to a city,
    'in', punctuation or a word that names nothing (a verb, a lower-case noun)."""
    text = s.text
    m = re.match(r"\s+(?:of|for|on)\s+", text[pos:])
    if not m:
        return pos
    base = pos + m.end()
    cities = {c.start - s.start for c in s.agents(labels=(CITY,))}
    end = pos
    for w in re.finditer(r"\S+", text[base:]):
        token = w.group(0)
        if base + w.start() in cities:
            break
        word = token.rstrip(",;:.”\"–—") if not re.fullmatch(r"\([A-Z0-9]+\)", token) else token
        core = re.sub(r"['’]s$", "", word)
        if core.lower().rstrip(".") in calendar or core[:1].isdigit():
            break  # 'on Thursday 4 ...', 'in May': a date, not a name
        acronym = core == token == word and token.startswith("(")
        if not core or not (core[0].isupper() or acronym or core.lower() in neutral or core.lower() in _CONNECTORS):
            break
        if core.lower() not in _CONNECTORS:
            end = base + w.start() + len(word)
        if word != token:
            break  # punctuation closes the phrase
    return end


@lru_cache(maxsize=4)
def _calendar_words(gaz: Gazetteer) -> frozenset[str]:
    """Weekday and month names: where a meeting's name ends and its date begins."""
    return frozenset([*_meeting_data()["weekdays"], *gaz.numbers["months"]])


_NUMBERED = re.compile(r"\d(?:st|nd|rd|th)\b|\b[IVXLC]{1,7}\s+[A-Z]")


@lru_cache(maxsize=4)
def _hint_words(gaz: Gazetteer) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The meeting nouns and ordinal words, lower-case, for substring tests."""
    ordinals = (*gaz.numbers["ordinal_units"], *gaz.numbers["ordinal_tens"])
    return tuple(w.split()[0] for w in _meeting_data()["meeting_nouns"]), tuple(ordinals)


def _may_name_a_numbered_meeting(gaz: Gazetteer, text: str) -> bool:
    """A meeting noun and some ordinal ('3rd', 'XII ', 'fifth') are in the text: substring tests
    that spare most sentences the full pattern."""
    low = text.lower()
    nouns, ordinals = _hint_words(gaz)
    if not any(n in low for n in nouns):
        return False
    return bool(_NUMBERED.search(text)) or any(w in low for w in ordinals)


def _meeting_phrases(ctx: Ctx, s: Sent) -> list[MeetingMention]:
    """Every numbered meeting phrase of a sentence, with the series it names."""
    if s.idx >= 0 and s.idx in ctx.phrases:
        return ctx.phrases[s.idx]
    found = _find_meeting_phrases(ctx, s)
    if s.idx >= 0:
        ctx.phrases[s.idx] = found
    return found


def _find_meeting_phrases(ctx: Ctx, s: Sent) -> list[MeetingMention]:
    text = s.text
    if not _may_name_a_numbered_meeting(ctx.gaz, text):
        return []  # cheap tests first: the full pattern is a long alternation tried at every position
    data = _meeting_data()
    neutral = frozenset(data["annual_series_words"])
    out = []
    for m in _meeting_rx(ctx.gaz).finditer(text):
        before = text[max(0, m.start() - 12):m.start()].lower()
        if re.search(r"\b(?:was|is|be|as|marks)\s+the\s+$", before):
            continue  # "This was the first meeting of the Global Network to take place in..."
        if m.group("roman"):
            ordinal = roman_value(m.group("roman"))
            if not m.group("noun")[0].isupper() or any(w[0].islower() for w in m.group("pre").split()):
                continue  # a Roman numeral heads a name: 'the VII Focal Points Meeting'
        else:
            ordinal = ordinal_value(ctx.gaz, m.group("ord"))
        if not ordinal:
            continue
        end = _tail_end(s, m.end(), neutral, _calendar_words(ctx.gaz))
        start = m.start()
        lead = max(0, m.start() - 120)
        owner = _POSSESSOR.search(text, lead, m.start())
        if owner:
            start = owner.start(1)
        qualifiers = " ".join(x for x in (owner.group(1) if owner else "", m.group("pre"), text[m.end():end]) if x)
        phrase = (m.group("pre") + m.group("noun") + text[m.end():end]).strip()
        if owner:
            phrase = f"{owner.group(1)}'s {phrase}"
        series = _series_of(ctx, s, start, end, qualifiers, m.group("noun"))
        out.append(MeetingMention(ordinal, start, end, series, re.sub(r"\s+", " ", phrase)))
    return out


def _meeting_mentions(ctx: Ctx, text: str) -> list[tuple[int, int, int]]:
    """(ordinal, start, end) of the Global Network's numbered meetings a text names ('the seventh
    annual meeting'), for callers that have a text rather than a sentence."""
    sent = Sent(-1, 0, len(text), text, None)  # no mentions: the series is read from the words alone
    return [(m.ordinal, m.start, m.end) for m in _meeting_phrases(ctx, sent) if m.series is None or m.series.annual]


def _series_of(ctx: Ctx, s: Sent, start: int, end: int, qualifiers: str, noun: str) -> Series | None:
    """The series a meeting phrase names: the Global Network's annual meetings when it names the
    network or nothing but words such as 'annual' and 'R2P Focal Points'; another series when any
    other qualifier is there ('European', 'Regional', 'Ministerial', another network)."""
    data = _meeting_data()
    names_network = any(x.iri == NETWORK for x in s.ments if start <= x.start - s.start < end)
    rest = qualifiers
    entry = ctx.gaz.get(NETWORK)
    for name in sorted([entry.pref, *entry.aliases] if entry else [], key=len, reverse=True):
        rest = re.sub(re.escape(name), " ", rest, flags=re.I)
    words = [re.sub(r"['’]s$", "", w) for w in re.findall(r"[\w’'-]+", rest.lower())]
    residue = [w for w in words if w not in data["annual_series_words"]]
    if not residue:
        return ANNUAL_SERIES if (names_network or words) else None
    network = _network_named(ctx, qualifiers)
    ignored = set(data["series_key_ignored"])
    forms = data["series_word_forms"]
    key = [forms.get(w, w) for w in residue if w not in ignored] or residue
    focal = bool(re.search(r"focal\s+points?", qualifiers, re.I))
    noun = noun.lower()
    if network is not None:
        iri, label = network
        own = set(re.findall(r"[\w’'-]+", label.lower()))
        extra = sorted({w for w in key if w not in own})
        slug = "-".join([_iri_slug(iri), *extra, f"{noun}s"])
        singular = f"{' '.join(w.capitalize() for w in extra)} {noun.capitalize()} of the {label}".strip()
        plural = f"{' '.join(w.capitalize() for w in extra)} {noun.capitalize()}s of the {label}".strip()
        slug = iris.slug_or_digest(slug)
        return Series(iris.entity("series", slug), slug, plural, singular, False, iri, label)
    key = sorted(dict.fromkeys(key))
    slug = iris.slug_or_digest("-".join([*key, "focal-points" if focal else "", f"{noun}s"]))
    qual = " ".join(w.capitalize() for w in key)
    tail = " of R2P Focal Points" if focal else ""
    return Series(iris.entity("series", slug), slug, f"{qual} {noun.capitalize()}s{tail}",
                  f"{qual} {noun.capitalize()}{tail}")


_NETWORK_NAME = re.compile(r"((?:[A-Z][\w’'&-]*\s+)*Network(?:\s+(?:for|of|on)\s+(?:the\s+)?"
                           r"(?:[A-Z][\w’'&-]*)(?:\s+(?:[A-Z][\w’'&-]*|and|of|the|for|on))*)?)")


def _network_named(ctx: Ctx, text: str) -> tuple[URIRef, str] | None:
    """Another network a meeting phrase names ('the Andean Network for Y', 'the X Network's'):
    the gazetteer's entry when it knows it, else a network named from the text."""
    m = _NETWORK_NAME.search(text)
    if not m:
        return None
    name = re.sub(r"['’]s$", "", m.group(1)).strip()
    name = re.sub(r"\s+(?:and|of|the|for|on)$", "", name)
    if name.lower() == "network":
        return None
    for e in ctx.gaz.by_alias.get(fold(name), []):
        if e.kind == "org":
            return e.iri, e.pref
    return iris.entity("org", iris.slug_or_digest(name)), name


def _mint_network(ctx: Ctx, iri: URIRef, name: str, where) -> None:
    """A network the gazetteer does not know, named from the text; the head of a long name ('the Andean
    Network' of 'the Andean Network for Atrocity Prevention') is how texts go on to call it."""
    ctx.node(iri, R2P.Network, name, where)
    short = re.match(r"((?:[A-Z][\w’'&-]*\s+)+Network)\s+(?:for|of|on)\s", name)
    if short:
        ctx.emit(iri, SKOS.altLabel, _literal(short.group(1)), where, limit=1)


def _mint_series(ctx: Ctx, series: Series, phrase: str, where: Sent) -> None:
    """The series node, its network, and the name this text gives it (an altLabel)."""
    ctx.series[series.iri] = series
    ctx.node(series.iri, R2P.MeetingSeries, series.label, where)
    if series.network is not None:
        ctx.emit(series.iri, R2P.ofNetwork, series.network, where, limit=1)
        if ctx.gaz.get(series.network) is None and series.network not in ctx.minted:
            _mint_network(ctx, series.network, series.network_label, where)
    if phrase and not series.annual and phrase != series.label:
        ctx.emit(series.iri, SKOS.altLabel, _literal(phrase), where, limit=1)


def _mint_meeting(ctx: Ctx, ordinal: int, series: Series, phrase: str, where: Sent) -> URIRef:
    """A numbered meeting of a series: typed r2p:AnnualMeeting only in the Global Network's series."""
    iri, _slug = meeting_iri(ordinal, series)
    ctx.node(iri, R2P.AnnualMeeting if series.annual else R2P.Meeting, meeting_label(ctx, ordinal, series), where)
    ctx.emit(iri, R2P.ordinal, _literal(ordinal, datatype=XSD.integer), where)
    ctx.emit(iri, R2P.inSeries, series.iri, where, limit=1)
    if not series.annual and series.network is not None:
        ctx.emit(iri, R2P.ofNetwork, series.network, where, limit=1)
    _mint_series(ctx, series, phrase, where)
    return iri


@lru_cache(maxsize=4)
def _unnumbered_rx(gaz: Gazetteer) -> re.Pattern:
    """'a regional meeting of ...', 'the Ministerial Meeting on ...': a meeting named without a number."""
    data = _meeting_data()
    word = rf"(?:[A-Z][\w’'&.-]*|(?i:{_alt(data['meeting_modifiers'])}))"
    nouns = _alt(data["meeting_nouns"])
    return re.compile(rf"\b(?i:a|an|the)\s+(?P<pre>(?:{word}\s+){{1,7}}?)(?P<noun>(?i:{nouns}))\b")


def _unnumbered_meeting(ctx: Ctx, sents: list[Sent]) -> tuple[Sent, MeetingMention] | None:
    """A document about a meeting it gives no number: the first sentence that hosts or holds a
    meeting of a named series other than the Global Network's ('Peru hosted a regional meeting of
    R2P Focal Points for the Andes in Lima'). The Global Network's meetings are known by number."""
    host_rx, neutral = ctx.cue("host_verbs"), frozenset(_meeting_data()["annual_series_words"])
    for s in sents:
        if not _MEETING_WORD.search(s.text) or not (host_rx.search(s.text) or re.search(
                r"\b(?:held|took\s+place|met|convened)\b", s.text)):
            continue
        for m in _unnumbered_rx(ctx.gaz).finditer(s.text):
            end = _tail_end(s, m.end(), neutral, _calendar_words(ctx.gaz))
            qualifiers = f"{m.group('pre')} {s.text[m.end():end]}"
            series = _series_of(ctx, s, m.start(), end, qualifiers, m.group("noun"))
            if series is not None and not series.annual:
                phrase = re.sub(r"\s+", " ", (m.group("pre") + m.group("noun") + s.text[m.end():end]).strip())
                return s, MeetingMention(None, m.start(), end, series, phrase)
    return None


def _mint_unnumbered(ctx: Ctx, series: Series, phrase: str, where: Sent) -> URIRef:
    """A meeting of a series without a number: known by its first day when the sentence dates it
    (so two documents about it agree), else by the document."""
    date = find_date(ctx.gaz, where.text, ctx.default_year)
    when = str(date.start) if date is not None and date.end is not None else ctx.slug
    iri = iris.entity("meeting", f"{series.slug}-{when}")
    ctx.node(iri, R2P.Meeting, f"{series.singular} ({when})" if date is not None else series.singular, where)
    ctx.emit(iri, R2P.inSeries, series.iri, where, limit=1)
    if series.network is not None:
        ctx.emit(iri, R2P.ofNetwork, series.network, where, limit=1)
    _mint_series(ctx, series, phrase, where)
    return iri


_TITLE_ABOUT = re.compile(r"\b(?:meeting|conference|summit|focal\s+points?|network)\b", re.I)


def _caption(s: Sent) -> bool:
    """A photo caption or credit ('Photo: ...', '© ...'): it shows, it does not state."""
    return bool(_cue_words_rx("caption_lead").match(s.text.lstrip())) or s.text.lstrip().startswith("©")


def _title_sentence(ctx: Ctx, skip: Sent | None) -> Sent:
    """The page's title: its first line that is neither a web address, its date line nor a caption."""
    for s in ctx.an.sents[:4]:
        if s is not skip and not _URL_LINE.fullmatch(s.text) and not _caption(s):
            return s
    return ctx.an.sents[0]


def _continues_about(s: Sent, candidates: list[Sent]) -> bool:
    """'It was organised by ...' right after a sentence about the meeting: the same meeting."""
    return bool(candidates) and candidates[-1].idx == s.idx - 1 and bool(re.match(r"(?:It|The\s+event)\s", s.text))


def _this_meeting(ctx: Ctx, s: Sent) -> bool:
    """The sentence is about the document's meeting: it names it, or 'the meeting' and no other."""
    m = ctx.meeting
    phrases = _meeting_phrases(ctx, s)
    if any(p.ordinal == m.ordinal and (p.series is None or p.series.iri == m.series) for p in phrases):
        return True
    if phrases:
        return False
    return bool(re.search(r"\b(?:meeting|conference|gathering|summit)\b", s.text, re.I))


def rule_meeting(ctx: Ctx) -> None:
    """The meeting a document is about: the first numbered meeting near its top, in its series,
    with its hosts, place, dates (the page's date line lends only a missing year), and whether the
    document announces it rather than reports it."""
    an = ctx.an
    if not an.sents:
        return
    rule_document_date(ctx)
    line = date_line(ctx)
    top = [s for s in an.sents[:14] if (line is None or s is not line[0]) and not _caption(s)]
    title = _title_sentence(ctx, line[0] if line else None)
    ctx.title_sent = title
    found = _numbered_meeting(ctx, [title] + [s for s in top[:10] if s is not title]) \
        or _unnumbered_meeting(ctx, top[:10])
    if found is None:
        return
    where, mention = found
    series = mention.series or ANNUAL_SERIES
    if mention.ordinal is None:
        iri = _mint_unnumbered(ctx, series, mention.phrase, where)
    else:
        iri = _mint_meeting(ctx, mention.ordinal, series, mention.phrase, where)
    ctx.meeting = Meeting(mention.ordinal, iri, _iri_slug(iri), ctx.minted[iri][1], series.iri, series.annual)
    ctx.emit(iris.document(ctx.slug), R2P.aboutMeeting, iri, where)
    if series.annual and title.agents(labels=(ORG_LABEL,)) and any(m.iri == NETWORK for m in title.ments):
        ctx.emit(iri, R2P.ofNetwork, NETWORK, title)
    title_year = re.search(r"\b((?:19|20)\d{2})\b", title.text) if not _URL_LINE.fullmatch(title.text) else None
    ctx.year = int(title_year.group(1)) if title_year else None
    _describe_meeting(ctx, iri, top)


def _numbered_meeting(ctx: Ctx, sents: list[Sent]) -> tuple[Sent, MeetingMention] | None:
    """The first numbered meeting the sentences name, title first."""
    for s in sents:
        phrases = [p for p in _meeting_phrases(ctx, s) if p.ordinal]
        if phrases:
            return s, phrases[0]
    return None


def _describe_meeting(ctx: Ctx, iri: URIRef, top: list[Sent]) -> None:
    """Dates, hosts and place from the sentences near the top that are about the meeting: those
    that host it first ('A and B co-hosted ...', 'A will host ...'), then the others."""
    candidates: list[Sent] = []
    for s in top:
        if _this_meeting(ctx, s) or _continues_about(s, candidates):
            candidates.append(s)
    host_rx, future = ctx.cue("host_verbs"), _cue_words_rx("announced_verbs")
    hosting = [s for s in candidates if host_rx.search(s.text) or future.search(s.text)]
    announced = any(future.search(s.text) for s in hosting[:1])
    _meeting_date(ctx, iri, hosting + [s for s in candidates[:8] if s not in hosting])
    for s in hosting:
        if _hosts(ctx, iri, s, announced):
            break
    for s in hosting + [s for s in candidates if s not in hosting]:
        if _place(ctx, iri, s, after_in=True):
            break
    else:
        for s in top[:4]:  # a title line: 'Summary of the 13th Meeting ..., Windhoek, Namibia'
            if s.agents(labels=(CITY,)) and _TITLE_ABOUT.search(s.text):
                _place(ctx, iri, s)
                break
    if announced:
        ctx.emit(iris.document(ctx.slug), R2P.announcesMeeting, iri, hosting[0])


def _meeting_date(ctx: Ctx, iri: URIRef, sents: list[Sent]) -> None:
    """The first dated sentence about the meeting: its days, with the title's or the date line's
    year when they are written without one; a news dateline gives the first day only. Days that
    no year can be given to are kept as text (r2p:dateText), never dated."""
    year = ctx.year or ctx.default_year
    for s in sents:
        opening = dateline(ctx, s)
        if opening is not None and ctx.cue("host_verbs").search(s.text):
            ctx.emit(iri, R2P.startDate, opening.start, s)
            ctx.start_date, ctx.year = opening.start, int(str(opening.start)[:4])
            return
        found = find_date(ctx.gaz, s.text, year)
        if found and found.end is not None:
            ctx.emit(iri, R2P.startDate, found.start, s)
            ctx.emit(iri, R2P.endDate, found.end, s)
            ctx.start_date, ctx.year = found.start, int(str(found.start)[:4])
            return
    for s in sents:  # no days: a month ('In May 2019, the ninth meeting was held ...')
        found = find_date(ctx.gaz, s.text, None)
        if found is not None and found.start.datatype == XSD.gYearMonth and s is not ctx.title_sent:
            ctx.emit(iri, R2P.startDate, found.start, s)
            ctx.start_date, ctx.year = found.start, int(str(found.start)[:4])
            return
    for s in sents:
        text = yearless_date_text(ctx.gaz, s.text)
        if text:
            ctx.emit(iri, R2P.dateText, _literal(text), s)
            return


def _place(ctx: Ctx, meeting: URIRef, s: Sent, after_in: bool = False) -> set[URIRef]:
    """'in Madrid, Spain': the city, and the state right after it. Returns the mentions' IRIs used.
    In a sentence (after_in) the city follows 'in'; a title line may name it anywhere."""
    used = set()
    for c in s.agents(labels=(CITY,)):
        if after_in and not re.search(r"\bin\s+(?:the\s+city\s+of\s+)?$", ctx.an.text[max(0, c.start - 20):c.start]):
            continue
        ctx.emit(meeting, R2P.heldInCity, c.iri, s)
        used.add(c.iri)
        for st in s.ments:
            if st.label == STATE and re.fullmatch(r"\s*,\s*", ctx.an.text[c.end:st.start]):
                ctx.emit(meeting, R2P.heldInCountry, st.iri, s)
                used.add(st.iri)
        break
    return used


def _location_states(ctx: Ctx, s: Sent) -> set[int]:
    out = set()
    for c in s.agents(labels=(CITY,)):
        for st in s.ments:
            if st.label == STATE and re.fullmatch(r"\s*,\s*", ctx.an.text[c.end:st.start]):
                out.add(id(st))
    return out


def _usable_agent(ctx: Ctx, m: Ment) -> bool:
    if m.iri == NETWORK:
        return False
    e = ctx.gaz.get(m.iri)
    return not (e is not None and e.cls == GROUP_CLASS)


def _in_parens(text: str, pos: int) -> bool:
    return text.rfind("(", 0, pos) > text.rfind(")", 0, pos)


def _hosts(ctx: Ctx, meeting: URIRef, s: Sent, announced: bool = False) -> int:
    """The hosts a sentence names: 'A and B co-hosted ...', '... hosted by A', 'A will host ...'.
    Hosts of an announced meeting are also its announced hosts. Returns how many were found."""
    text = s.text
    loc = _location_states(ctx, s)
    verb = ctx.cue("host_verbs").search(text) or _cue_words_rx("announced_verbs").search(text)
    by = re.search(r"\b(?:co-)?(?:hosted|organi[sz]ed|convened)\s+by\b", text)
    if by:
        end = re.search(r"[;.]|\s+in\s+[A-Z]|,\s+(?:from|on)\s", text[by.end():])
        lo, hi = by.end(), by.end() + (end.start() if end else len(text))
    else:
        lo, hi = 0, verb.start()
    agents = [m for m in s.agents(lo, hi) if id(m) not in loc and _usable_agent(ctx, m)
              and not _in_parens(text, m.start - s.start)]
    partners = _cue_words_rx("co_hosts").search(text, verb.end()) if not by else None
    if partners:
        stop = re.search(r"[;.]|,\s+(?:which|who|where|on|from|and\s+(?:the\s+)?meeting)\b", text[partners.end():])
        agents += _co_hosts(ctx, s, partners.end(), partners.end() + (stop.start() if stop else len(text)), loc)
    acronym = None if by else re.search(r"(?<![\w-])([A-Z]{2,8})\s+$", text[:verb.start()])
    if acronym and not any(m.start - s.start == acronym.start(1) for m in s.ments):
        agents.append(_acronym_org(ctx, s, acronym.start(1), acronym.group(1)))
    for host in dict.fromkeys(ctx.an.body_state.get(m.iri, m.iri) for m in agents):  # a ministry hosts for its state
        ctx.emit(meeting, R2P.hostedBy, host, s)
        if announced:
            ctx.emit(host, R2P.announcedHostOf, meeting, s)
    return len(agents)


def _co_hosts(ctx: Ctx, s: Sent, lo: int, hi: int, loc: set[int]) -> list[Ment]:
    """'in collaboration with the Ministry of Foreign Affairs of X': the ministry's state, or the agents named."""
    found = [m for m in s.agents(lo, hi) if id(m) not in loc and _usable_agent(ctx, m)]
    return found[:1] if found and re.match(r"\s*(?:the\s+)?(?:Ministry|Department|Government|Office)\b", s.text[lo:]) \
        else found


def _acronym_org(ctx: Ctx, s: Sent, at: int, name: str) -> Ment:
    """An organization no list knows, named by its acronym as the subject of a host verb ('XYZI co-organized')."""
    iri = iris.entity("org", iris.slug_or_digest(name))
    if ctx.gaz.get(iri) is None and iri not in ctx.an.entities:
        ctx.node(iri, R2P.Organization, name, s)
    return Ment(s.start + at, s.start + at + len(name), ORG_LABEL, iri, name)


def rule_other_meetings(ctx: Ctx) -> None:
    """Meetings the document mentions besides its own: the first meeting, the next one announced,
    a numbered meeting of another series. Each in its own series: a regional meeting never takes
    the dates or city of the Global Network's meeting of the same number."""
    if ctx.meeting is None:
        return
    future = ctx.cue("future_host")
    own = ctx.meeting
    for s in ctx.an.sents[1:]:
        if _caption(s):
            continue
        for mention in _meeting_phrases(ctx, s):
            ordinal, ms, me = mention.ordinal, mention.start, mention.end
            series = mention.series
            if series is None:  # 'the sixth meeting': of the document's own series
                series = ANNUAL_SERIES if own.annual else _series_by_iri(ctx, own.series)
            if own.ordinal is None and series.iri == own.series:
                continue  # a numbered meeting of the series of an unnumbered one: which is which is unclear
            if ordinal == own.ordinal and (series.iri == own.series or series.annual == own.annual):
                continue  # the document's own meeting, perhaps by a short name ('the VII ANAP Meeting')
            iri = _mint_meeting(ctx, ordinal, series, mention.phrase, s)
            clause = s.text[ms:]
            stop = re.search(r"[;]|\.\s", clause)
            clause_end = ms + (stop.start() if stop else len(clause))
            for c in s.agents(me, clause_end, labels=(CITY,))[:1]:
                ctx.emit(iri, R2P.heldInCity, c.iri, s)
            date = find_date(ctx.gaz, s.text[ms:clause_end], None)
            if date is not None and not (date.end is None and str(date.start.datatype).endswith("gYear")
                                         and not re.search(r"\b(?:during|in)\s+\d{4}", s.text[ms:clause_end])):
                ctx.emit(iri, R2P.startDate, date.start, s)
                if date.end is not None:
                    ctx.emit(iri, R2P.endDate, date.end, s)
            f = future.search(s.text[:ms])
            if f and (series.iri != own.series or (own.ordinal is not None and ordinal > own.ordinal)):
                agents = [m for m in s.agents(0, f.start()) if _usable_agent(ctx, m)]
                for host in _coordinated_tail(s, agents):
                    ctx.emit(host.iri, R2P.announcedHostOf, iri, s)


def _series_by_iri(ctx: Ctx, iri: URIRef | None) -> Series:
    """The Series a minted series node was made from (the document's own series)."""
    if iri is None or iri == ANNUAL_SERIES.iri:
        return ANNUAL_SERIES
    return ctx.series.get(iri, ANNUAL_SERIES)


def _coordinated_tail(s: Sent, agents: list[Ment]) -> list[Ment]:
    """The last agent and those listed with it: 'the governments of Spain and Chile' -> both."""
    tail = agents[-1:]
    for prev in reversed(agents[:-1]):
        gap = s.text[prev.end - s.start:tail[0].start - s.start]
        if not re.fullmatch(r"\s*(?:,\s*(?:and\s+)?|and\s+)(?:the\s+)?", gap):
            break
        tail.insert(0, prev)
    return tail


# ---------------------------------------------------------------------------------------------
# Participants, counts, theme

def rule_counts(ctx: Ctx) -> None:
    if ctx.meeting is None:
        return
    num = _number_rx(ctx.gaz)
    rx = re.compile(rf"(?:\b({_alt(ctx.gaz.cues['lower_bound'])}|some|nearly|almost|approximately|about)\s+)?"
                    rf"\b({num})\s+(?:countries|states|member\s+states|governments|nations)\b", re.I)
    attend = ctx.cue("attendance")
    for s in ctx.an.sents[1:]:
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
    return bool(verb and re.search(r"\b(?:meeting|conference|gathering|event|summit)\b", text[:verb.start()], re.I))


_THEME = re.compile(r"\btheme\s+(?:of\s+|was\s+|entitled\s+|titled\s+)?[\"“]([^\"”]{5,300})[\"”]", re.I)


def rule_theme(ctx: Ctx) -> None:
    if ctx.meeting is None:
        return
    for s in ctx.an.sents:
        if '"' not in s.text and "“" not in s.text:
            continue  # cheap test first: a theme is quoted
        m = _THEME.search(s.text)
        if m:
            ctx.emit(ctx.meeting.iri, R2P.theme, _literal(m.group(1).strip()), s)


def rule_participants(ctx: Ctx) -> None:
    """States and organizations that took part in the document's meeting: lists after a lead-in ('delegations
    of', 'represented were', 'attended by'), lists that continue a previous sentence ('The second group included
    ...'), a list before an attendance verb ('A and B both attended'), 'the latter', and states named by adjective
    ('the Danish and Ghanaian delegations'). A sentence about another meeting gives none."""
    if ctx.meeting is None:
        return
    meeting = ctx.meeting.iri
    rep = re.compile(r"\b(?:representatives|officials|delegations|delegates)\s+(?:from|of)\b", re.I)
    context = ctx.cue("participation_context")
    last_list: list[Ment] = []      # the latest list of participants, for 'the latter'
    last_context = -10              # index of the latest sentence about who took part
    for s in ctx.an.sents[1:]:
        about_participants = bool(context.search(s.text))
        if _about_other_meeting(ctx, s):
            continue
        if not s.mentions_any((STATE, ORG_LABEL, STATE_ADJ)):
            for a in _the_latter(ctx, s, last_list):
                ctx.emit(meeting, R2P.hasParticipant, a.iri, s)
            if about_participants:
                last_context = s.idx
            continue  # only states and organizations are read as participants here
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
    if any(o != ctx.meeting.ordinal for o, _, _ in _meeting_mentions(ctx, s.text)):
        return True
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


# ---------------------------------------------------------------------------------------------
# Persons: roles, affiliations, focal points held

@lru_cache(maxsize=4)
def _honorific_at_end(gaz: Gazetteer) -> re.Pattern:
    hon_rx = "|".join(re.escape(h) for h in sorted(gaz.honorifics, key=len, reverse=True))
    return re.compile(rf"(?:^|(?<=\s))(?:{hon_rx})$")


@lru_cache(maxsize=1024)
def _whole_phrase_rx(phrase: str) -> re.Pattern:
    """The phrase, not inside a longer word or hyphenated compound."""
    return re.compile(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])")


@lru_cache(maxsize=4)
def _role_noun_rx(gaz: Gazetteer) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(map(re.escape, gaz.cues["role_nouns"])) + r")")


def _role_phrases(ctx: Ctx, s: Sent, p: Ment) -> list[tuple[int, int]]:
    """Appositive title phrases around a person mention, relative to the sentence."""
    text = s.text
    out = []
    hs = (p.hon_start if p.hon_start is not None else p.start) - s.start
    pre = text[:hs].rstrip()
    hon_rx = _honorific_at_end(ctx.gaz)
    while True:
        stripped = hon_rx.sub("", pre).rstrip()
        if stripped == pre:
            break
        pre = stripped
    if pre.endswith(","):
        body = pre[:-1]
        cut = 0
        for b in re.finditer(r";|:|—|–|\bby\b|\bwith\b|\bfrom\b|,|\bincluding\b|\b(?:is|are|was|were)\b|\.(?=[A-Z])",
                             body):
            cut = b.end()
        others = [o for o in s.ments if o.label == PERSON and o.end - s.start <= len(body) and o is not p]
        if others:
            cut = max(cut, max(o.end - s.start for o in others))
        # "Ms. X, Head of ..., Mr. Y": the phrase before Y is X's apposition, not Y's; unless X's title came
        # before X's name ("Executive Director Dr. X, Ambassador of Peru, Carla Y, ...").
        if re.match(r"\s*and\b", body[cut:]) or not any(re.fullmatch(r"\s*,\s*", text[o.end - s.start:cut])
                                                          and not _title_before(ctx, s, o) for o in others):
            out.append((cut, len(body)))
    elif p.hon_start is not None and p.hon_start < p.start and (run := _title_before(ctx, s, p)):
        out.append(run)
    ps, pe = s.rel(p)
    post = text[pe:]
    # A predicate after the apposition: "The Focal Point of X, Ms. Y, is the Director of ..." or
    # "..., serves as Deputy Director-General ...": the title ends before a coordinated verb.
    pred = re.match(r",\s+(?:is|serves\s+as|acts\s+as|works\s+as)\s+(?:(?:the|a|an)\s+)?(?=[A-Z])|"
                    r",?\s+who\s+(?:is|serves\s+as|acts\s+as)\s+(?:(?:the|a|an|its)\s+)?"
                    r"(?=(?:national\s+)?(?:R2P\s+)?focal\s+point\b)", post, re.I)
    if pred:
        lo = pe + pred.end()
        stop = re.search(r"[,;.](?:\s|$)|\s[–—]\s|\s+and\s+(?=[a-z])|$", text[lo:])
        out.append((lo, lo + (stop.start() if stop else len(text) - lo)))
        return out
    m = re.match(r",\s+", post)
    titled = m and (re.match(r"(?:the\s+)?(?:[A-Z]|UN\b)", post[m.end():]) or
                    re.match(r"[a-z]+\s+(?:of\s+[^,;]*?\s+)?and\s+(?:the\s+)?[A-Z]", post[m.end():]))
    if titled and not re.match(r"(?:and|who|which|also)\b", post[m.end():]):
        lo = pe + m.end()
        stop = re.search(r"[,;.](?:\s|$)|\s[–—]\s|$", text[lo:])
        hi = lo + (stop.start() if stop else len(text) - lo)
        for o in s.ments:
            if o.label == PERSON and o is not p and lo <= (o.hon_start or o.start) - s.start < hi:
                hi = (o.hon_start or o.start) - s.start
        hi = _state_after_title(ctx, s, hi)
        nxt = [o for o in s.ments if o.label == PERSON and re.fullmatch(r",\s*", text[hi:(o.hon_start or o.start) - s.start])]
        if not (nxt and _title_before(ctx, s, p)):  # else the phrase is the next person's (see above)
            out.append((lo, hi))
    if p.hon_start is not None and p.hon_start < p.start:
        title = s.text[p.hon_start - s.start:ps].strip()
        if any(o.label == ROLE and o.start >= p.hon_start and o.end <= p.start for o in s.ments):
            out.append((p.hon_start - s.start, ps))
        del title
    if not out and (rank := _rank_title(ctx, s, p)):
        out.append(rank)
    return out


def _rank_title(ctx: Ctx, s: Sent, p: Ment) -> tuple[int, int] | None:
    """'Foreign Minister Anna Berg', 'Deputy Ambassador Li': a rank honorific with the capitalised words that
    qualify it is the person's title (a bare 'Ambassador X' says too little to be one)."""
    if p.hon_start is None or p.hon_start >= p.start or not _rank_honorific(ctx, s, p):
        return None
    hs, ps = p.hon_start - s.start, p.start - s.start
    run = re.search(r"(?:(?<=\s)|^)((?:[A-Z][\w’'/-]*\s+)+)$", s.text[:hs])
    if not run:
        return None
    words = run.group(1).split()
    while words and words[0].lower() in ctx.gaz.cues["small_words"]:
        words = words[1:]
    if not words:
        return None
    return (hs - len(" ".join(words)) - 1, ps)


def _title_before(ctx: Ctx, s: Sent, p: Ment) -> tuple[int, int] | None:
    """'ACPR Executive Director Dr. X', 'Foreign Minister Y': a capitalised run ending in a role noun just
    before the honorific (or the name), relative to the sentence; None when there is none."""
    hs = (p.hon_start if p.hon_start is not None else p.start) - s.start
    pre = s.text[:hs].rstrip()
    hon_rx = _honorific_at_end(ctx.gaz)
    while (stripped := hon_rx.sub("", pre).rstrip()) != pre:
        pre = stripped
    run = re.search(r"(?:(?<=\s)|^)((?:[A-Z][\w’'/-]*\s+)*[A-Z][\w’'/-]*)$", pre)
    if not run or not _role_noun_rx(ctx.gaz).search(run.group(1).split()[-1]):
        return None
    words = run.group(1).split()
    skip = 0
    while skip < len(words) - 1 and words[skip].lower() in ctx.gaz.cues["small_words"]:
        skip += 1  # "The", "In": a sentence's first word, not part of the title
    lo = run.start(1) + sum(len(w) + 1 for w in words[:skip])
    return (lo, len(pre))


def _state_after_title(ctx: Ctx, s: Sent, hi: int) -> int:
    """'X, Minister for Foreign Affairs, Botswana, noted': a state or organization alone after the title
    is where the title is held; the phrase then runs to its end."""
    m = re.match(r",\s+(?:the\s+)?", s.text[hi:])
    if not m:
        return hi
    body = _forms_rx("body_after_title").match(s.text[hi:])
    if body and any(a.start - s.start >= hi + body.end() for a in s.agents(labels=(STATE,))):
        beyond = _state_after_title(ctx, s, hi + body.end())  # "Director, Ministry of Foreign Affairs, Estonia"
        if beyond > hi + body.end():
            return beyond
    for a in s.agents(hi + m.end(), labels=(STATE, ORG_LABEL, GOV_BODY)):
        if a.start - s.start == hi + m.end() and re.match(r"\s*(?:[,;.:(]|$|\s(?:who|which|and|said|noted|stated)\b)",
                                                           s.text[a.end - s.start:]):
            return a.end - s.start
    return hi


def _split_roles(ctx: Ctx, s: Sent, lo: int, hi: int) -> list[tuple[int, int]]:
    """Coordinated titles: 'Head of X and former Adviser', 'trustee and UN Special Envoy on ...'."""
    parts = []
    start = lo
    ends = {m.end - s.start for m in s.ments}
    states_at = {m.start - s.start for m in s.ments if m.label == STATE}
    for m in re.finditer(r"\s+and\s+", s.text[lo:hi]):
        a, b = lo + m.start(), lo + m.end()
        if b in states_at:
            continue  # "Adviser on Syria and Iraq": states coordinated, not titles
        right = re.split(r"\s+and\s+|,", s.text[b:hi])[0]
        if a in ends or s.text[b:].startswith("former ") or \
                (right[:1].isupper() and _role_noun_rx(ctx.gaz).search(right)):
            parts.append((start, a))
            start = b
    parts.append((start, hi))
    return parts


def _states_no_fact(s: Sent) -> bool:
    """A heading, a photo caption or a byline names persons without stating anything about them."""
    if s.block.kind in ("title", "heading", "subheading"):
        return True
    line = s.block.text.strip()
    for start in person_forms()["caption_starts"]:
        if line.startswith(start) and (start != "By" and start[-1:] in ":©(" or len(line.split()) <= 12):
            return True
    return False


def rule_persons(ctx: Ctx) -> None:
    gaz = ctx.gaz
    speaking = ctx.cue("speaking")
    roles = sorted(((a, r) for r in gaz.roles() for a in [r.pref, *r.aliases]), key=lambda x: -len(x[0]))
    meeting = ctx.meeting.iri if ctx.meeting else None
    for s in ctx.an.sents:
        if _states_no_fact(s):
            continue
        for p in [m for m in s.ments if m.label == PERSON]:
            ctx.emit(p.iri, RDF.type, R2P.Person, s, limit=1)
            spoke = bool(speaking.search(s.text)) and meeting is not None and s.block.kind != "title"
            lead = s.text[:(p.hon_start if p.hon_start is not None else p.start) - s.start]
            if re.search(r"\b(?:to|for|of|under)\s+(?:[A-Z][\w-]*\s+){0,4}$", lead):
                spoke = False  # "Adviser ... to United States Ambassador Samantha Power": named, not present
            if spoke:
                ctx.emit(meeting, R2P.hasParticipant, p.iri, s)
            # "Dr. Alex Bellamy of the Asia-Pacific Centre": affiliation.
            ps, pe = s.rel(p)
            m = re.match(r"\s+(?:of|from)\s+(?:the\s+)?", s.text[pe:])
            of_agent = None
            if m:
                for a in s.agents(pe + m.end(), pe + m.end() + 120, labels=(ORG_LABEL, STATE, GOV_BODY)):
                    if a.start - s.start == pe + m.end():
                        ctx.emit(p.iri, R2P.affiliatedWith, a.iri, s)
                        of_agent = a
            _post_by_verb(ctx, s, p)
            phrases = _role_phrases(ctx, s, p)
            rank_state = _rank_of_state(ctx, s, phrases)
            for lo, hi in phrases:
                if rank_state is not None and rank_state[0] == (lo, hi):
                    continue
                for plo, phi in _split_roles(ctx, s, lo, hi):
                    _one_role(ctx, s, p, plo, phi, roles, spoke, rank_state[1] if rank_state else of_agent)


def _post_by_verb(ctx: Ctx, s: Sent, p: Ment) -> None:
    """'Ms. X, who works through Star Point, an organization she founded': X is Founder of Star Point (the
    last person named before the clause)."""
    _, pe = s.rel(p)
    m = _forms_rx("post_verb").search(s.text, pe)
    if m is None or any(o.label == PERSON and pe < o.start - s.start < m.start() for o in s.ments):
        return
    name = m.group("org")
    org = next((a for a in s.agents(m.start("org"), m.end("org"), labels=(ORG_LABEL,))), None)
    iri = org.iri if org is not None else iris.entity("org", iris.slug_or_digest(name))
    if org is None and ctx.gaz.get(iri) is None:
        ctx.node(iri, R2P.Organization, name, s)
    title = person_forms()["post_verbs"][m.group("verb").lower()]
    _assignment(ctx, s, p, iris.entity("role", iris.slug_or_digest(title)), title, iri, ctx.year_lit(ctx.year))
    ctx.emit(p.iri, R2P.affiliatedWith, iri, s)


def _rank_of_state(ctx: Ctx, s: Sent, phrases: list[tuple[int, int]]) -> tuple[tuple[int, int], Ment] | None:
    """'Ambassador of Chile, Marta Quispe, Director of Human Rights': a diplomatic rank of a state beside a
    post is the person's state and rank, not a second post; the phrase and the state, or None."""
    if len(phrases) < 2:
        return None
    for lo, hi in phrases:
        rank = _rank_of_rx(ctx.gaz).match(s.text[lo:hi])
        if rank is None:
            continue
        state = [a for a in s.agents(lo + rank.end(), hi, labels=(STATE,)) if a.start - s.start == lo + rank.end()]
        if state and not s.text[state[0].end - s.start:hi].strip():
            return (lo, hi), state[0]
    return None


@lru_cache(maxsize=8)
def _forms_rx(name: str) -> re.Pattern:
    """The patterns made of gazetteers/person-forms.json's word lists, compiled once."""
    forms = person_forms()
    heads = _alt(forms["org_heads"])
    return {
        "org_head": lambda: re.compile(rf"\b(?:{heads})\b"),
        "not_role": lambda: re.compile(rf"(?:(?:UN|EU|AU|United\s+Nations)\s+)?(?:{_alt(forms['not_role_heads'])})\b"),
        "post_verb": lambda: re.compile(
            r"(?P<org>[A-Z][\w'’-]*(?:\s+(?:of\s+|for\s+|the\s+)*[A-Z][\w'’-]*){0,5}),\s+an?\s+(?:new\s+|small\s+)?"
            rf"(?:{_alt(forms['organization_nouns'])})\s+(?:that\s+)?(?:she|he|they)\s+(?:also\s+)?"
            rf"(?P<verb>{_alt(list(forms['post_verbs']))})\b"),
        "body_after_title": lambda: re.compile(
            r",\s+(?:the\s+)?(?:[A-Z][\w-]*\s+(?:(?:of|for|and)\s+(?:the\s+)?)?){0,5}?"
            rf"(?:{heads})\b(?:\s+(?:of|for)(?:\s+[A-Z][\w-]*)+)?(?=,\s)"),
    }[name]()


@lru_cache(maxsize=4)
def _rank_of_rx(gaz: Gazetteer) -> re.Pattern:
    """'Ambassador of ': a rank (an honorific that is not a courtesy) of a state."""
    ranks = _alt([h for h in gaz.honorifics if h not in person_forms()["courtesy_honorifics"]])
    return re.compile(rf"\s*(?:the\s+)?(?:{ranks})\s+of\s+(?:the\s+)?")


_THE_NETWORK = re.compile(r"\b(?:of|in|within)\s+the\s+Network\b")


def _document_network(ctx: Ctx) -> URIRef | None:
    """The network "the Network" means in this document: the one whose meeting it is about."""
    if ctx.meeting is None:
        return None
    series = ctx.series.get(ctx.meeting.series)
    if series is not None and series.network is not None:
        return series.network
    return NETWORK if ctx.meeting.annual else None


def _one_role(ctx: Ctx, s: Sent, p: Ment, lo: int, hi: int, roles, spoke: bool, state: Ment | None = None) -> None:
    phrase = s.text[lo:hi]
    lead = re.match(r"\s*(?:and\s+)?(?:the\s+|The\s+)?", phrase)
    lo += lead.end()
    former = re.match(r"(?:a\s+|the\s+)?former\s+(?:the\s+)?", s.text[lo:hi])
    if former:
        lo += former.end()  # "former Special Adviser": the role, held before
    phrase = s.text[lo:hi].rstrip()
    hi = lo + len(phrase)
    if _focal_point_phrase(ctx, s, p, lo, hi, spoke):
        return
    if not phrase or phrase.startswith("former") or not (phrase[0].isupper() or phrase.startswith("UN")):
        return
    if len(phrase.split()) > 20 or re.search(r"\b(?:was|were|is|are|has|have|had)\b", phrase):
        return
    if _forms_rx("not_role").match(phrase):
        return  # "the UN Office of the Special Adviser ...": a body beside the person, not their post
    ents = [m for m in s.agents(lo, hi, labels=(ORG_LABEL, STATE, GOV_BODY)) if _usable_agent(ctx, m)]
    ents = [m for m in ents if not _modifier(s, m, hi)] or ents
    ents = _without_topics(s, lo, ents)
    # The organization the role is in: a government body, else the last entity after of/at/for/within/'s,
    # or alone after the title ("Minister for Foreign Affairs, Botswana").
    aff = None
    for m in ents:
        before = s.text[lo:m.start - s.start]
        if re.search(r"(?:\bof|\bat|\bfor|\bwithin|\bfrom)\s+(?:the\s+)?$|,\s+(?:the\s+)?$", before) or \
                s.text[m.end - s.start:].startswith(("'s", "’s")):
            aff = m
    body = next((m for m in ents if m.label == GOV_BODY or (ctx.gaz.get(m.iri) and
                                                             ctx.gaz.get(m.iri).cls == R2P.GovernmentBody)), None)
    year = ctx.year_lit(ctx.year)
    # A focal point: "R2P Focal Point of Liechtenstein".
    fp = re.match(r"(?:R2P\s+)?Focal\s+Point\s+(?:of|for|from)\s+(?:the\s+)?", phrase)
    if fp:
        agent = next((m for m in ents if m.start - s.start == lo + fp.end()), None)
        if agent is not None:
            post = focal_post(ctx, agent.iri, s)
            ctx.emit(post, ORG.heldBy, p.iri, s)
            ctx.emit(p.iri, R2P.affiliatedWith, agent.iri, s)
            _assignment(ctx, s, p, iris.entity("role", "r2p-focal-point"), "R2P Focal Point", agent.iri, year)
            if spoke and ctx.meeting:
                ctx.emit(ctx.meeting.iri, R2P.hasParticipant, agent.iri, s)
            # Other titles in the same apposition say where the post sits.
            for olo, ohi in _role_phrases(ctx, s, p):
                for plo, phi in _split_roles(ctx, s, olo, ohi):
                    other = s.text[plo:phi].strip()
                    other = re.sub(r"^(?:and\s+)?(?:[Tt]he\s+)?", "", other)
                    other = re.sub(r"^(?:[A-Z][\w-]*\s+){0,3}?[A-Z][\w-]*['’]s\s+(?=[A-Z])", "", other)  # "Ministry's Director"
                    if other and not re.match(r"(?:R2P\s+)?Focal\s+Point", other) and not other.startswith("former") \
                            and other[0].isupper():
                        ctx.emit(post, R2P.positionTitle, _literal(other), s)
                        for b in s.agents(plo, phi, labels=(GOV_BODY, ORG_LABEL)):
                            e = ctx.gaz.get(b.iri)
                            if b.label == GOV_BODY or (e and e.cls == R2P.GovernmentBody):
                                ctx.emit(post, R2P.withinBody, b.iri, s)
                                break
        return
    # A known role ("Special Adviser on the Responsibility to Protect"), else a title read from the phrase.
    role_iri, role_label, role_org = None, None, None
    key = _role_key(phrase)
    for alias, r in roles:
        if r.slug == "r2p-focal-point":
            continue
        hit = _whole_phrase_rx(_role_key(alias)).search(key)
        if hit:
            if not r.info.get("org") and re.match(r"\s+(?:for|on)\s+(?!the\s)[A-Z]", key[hit.end():]):
                break  # a generic title with its portfolio: "Deputy Secretary-General for Global Issues", kept whole
            role_iri, role_label = r.iri, r.pref
            role_org = iris.entity("org", r.info["org"]) if r.info.get("org") else None
            break
    minted_org = None
    if role_iri is not None and role_org is None and not ents:
        minted_org = _title_and_new_org(ctx, phrase, s)[1]  # "ACPR Executive Director"
    if role_iri is None and ents and ents[0].start - s.start == lo:
        # "the European External Action Service's Principal Advisor on Gender", "the X Campaign Leader"
        rest = re.sub(r"^['’]s\b", "", s.text[ents[0].end - s.start:hi]).strip()
        if rest[:1].isupper() and len(rest.split()) <= 16 and _role_noun_rx(ctx.gaz).search(rest) \
                and not re.search(r"[()]", rest):
            role_iri, role_label, aff = iris.entity("role", iris.slug_or_digest(rest)), rest, ents[0]
    if role_iri is None:
        first = ents[0] if ents else None
        title = phrase if first is None else s.text[lo:first.start - s.start]
        if first is not None and re.fullmatch(r"\s+(?:for|on)\s+[A-Z][^,;()]*", s.text[first.end - s.start:hi]):
            title = title.rstrip() + s.text[first.end - s.start:hi]  # "Envoy of the League for Tracing X"
            title = re.sub(r"\s+(?:of|at|within|from|to|in)(?:\s+the)?(?=\s+(?:for|on)\s)", "", title)
        title = re.sub(r",\s.*$|,\s*$", "", title)  # "Director for Europe, Ministry of X, Estonia": the title
        title = re.sub(r"\s+(?:of|at|for|within|from|to|in)(?:\s+the)?\s*$", "", title).strip()
        if first is None:
            title, minted_org = _title_and_new_org(ctx, title, s)
        title = re.sub(r"^(?:UN|EU)\s+", "", title) if first is None else title
        title = re.sub(r"['’]s$", "", title).strip()
        if not title or not title[0].isupper() or len(title.split()) > 8 or re.search(r"[()]", title):
            return
        if not _role_noun_rx(ctx.gaz).search(title):
            return
        if ents and s.text[ents[0].end - s.start:].startswith(("'s", "’s")):
            # "the European External Action Service's Principal Advisor on Gender"
            title = s.text[ents[0].end - s.start + 2:hi].strip()
            if not title or len(title.split()) > 10:
                return
        role_iri, role_label = iris.entity("role", iris.slug_or_digest(title)), title
    if former:
        role_iri, role_label = _former_role(ctx, s, role_iri, role_label)
    if aff is None and body is None and minted_org is None and role_org is None and _THE_NETWORK.search(phrase):
        minted_org = _document_network(ctx)   # "Regional Coordinator of the Network": the network it is about
    if aff is None and body is None and minted_org is None and role_org is None:
        aff = state  # the state of the person's rank, said beside the title
    where = body.iri if body is not None else (aff.iri if aff is not None else minted_org)
    org = role_org or where
    _assignment(ctx, s, p, role_iri, role_label, org, ctx.year_lit(ctx.year))
    if minted_org is not None and aff is None and body is None:
        ctx.emit(p.iri, R2P.affiliatedWith, minted_org, s)
    if aff is not None:
        target = ctx.an.body_state.get(aff.iri, aff.iri)
        ctx.emit(p.iri, R2P.affiliatedWith, target, s)
        if spoke and not former and ctx.meeting and ctx.gaz.get(target) and ctx.gaz.get(target).kind == "state":
            ctx.emit(ctx.meeting.iri, R2P.hasParticipant, target, s)
    elif body is not None:
        ctx.emit(p.iri, R2P.affiliatedWith, body.iri, s)


_FOCAL = r"(?:national\s+)?(?:R2P\s+)?focal\s+point"


def _focal_point_phrase(ctx: Ctx, s: Sent, p: Ment, lo: int, hi: int, spoke: bool) -> bool:
    """Focal point titles 'Focal Point of X' does not cover: 'Norway's R2P Focal Point', 'the national focal
    point of Finland on R2P', or a bare 'the R2P Focal Point' whose state the person's other title or the
    sentence names. Writes the post and returns True when the phrase is one."""
    phrase = s.text[lo:hi]
    if re.match(r"(?:R2P\s+)?Focal\s+Point\s+(?:of|for|from)\s", phrase):
        return False  # the case _one_role has always read
    agent = None
    own = [a for a in s.agents(lo, hi, labels=(STATE, ORG_LABEL, GOV_BODY)) if _usable_agent(ctx, a)]
    poss = own and re.fullmatch(rf"['’]s?\s+{_FOCAL}\b.*", s.text[own[0].end - s.start:hi], re.I | re.S) \
        and own[0].start - s.start == lo
    of = re.match(rf"{_FOCAL}\s+(?:of|for|from)\s+(?:the\s+)?", phrase, re.I)
    bare = re.fullmatch(rf"{_FOCAL}(?:\s+(?:on|for)\s+(?:the\s+)?(?:R2P|responsibility\s+to\s+protect)(?:\s+\(R2P\))?)?",
                        phrase.strip(), re.I)
    if poss:
        agent = own[0]
    elif of:
        agent = next((a for a in own if a.start - s.start == lo + of.end()), None)
    elif bare:
        agent = _state_of_person(ctx, s, p, lo)
    else:
        return False
    if agent is None:
        return bool(bare)
    target = ctx.an.body_state.get(agent.iri, agent.iri)
    post = focal_post(ctx, target, s)
    ctx.emit(post, ORG.heldBy, p.iri, s)
    ctx.emit(p.iri, R2P.affiliatedWith, target, s)
    _assignment(ctx, s, p, iris.entity("role", "r2p-focal-point"), "R2P Focal Point", target, ctx.year_lit(ctx.year))
    rank = _rank_honorific(ctx, s, p)
    if rank:
        ctx.emit(post, R2P.positionTitle, _literal(rank), s)
    if spoke and ctx.meeting:
        ctx.emit(ctx.meeting.iri, R2P.hasParticipant, target, s)
    return True


def _state_of_person(ctx: Ctx, s: Sent, p: Ment, skip: int) -> Ment | None:
    """The state or organization a person's other title names ('the Ministry's Director for X'), else the
    only one the sentence names."""
    for lo, hi in _role_phrases(ctx, s, p):
        if lo <= skip < hi:
            continue
        for a in s.agents(lo, hi, labels=(GOV_BODY, STATE, ORG_LABEL)):
            if _usable_agent(ctx, a):
                return a
    agents = {a.iri: a for a in s.agents(labels=(STATE, GOV_BODY)) if _usable_agent(ctx, a)}
    states = {ctx.an.body_state.get(i, i) for i in agents}
    return next(iter(agents.values())) if len(states) == 1 else None


def _rank_honorific(ctx: Ctx, s: Sent, p: Ment) -> str | None:
    """'Ambassador Jane Roe': an honorific that is a rank (not a courtesy such as 'Ms.') says the post."""
    if p.hon_start is None or p.hon_start >= p.start:
        return None
    hon = s.text[p.hon_start - s.start:p.start - s.start].strip()
    courtesy = person_forms()["courtesy_honorifics"]
    return hon if hon in ctx.gaz.honorifics and hon not in courtesy else None


def _modifier(s: Sent, m: Ment, hi: int) -> bool:
    """'Head of the UN office of X': an entity followed by more of the noun phrase names no organization."""
    return bool(re.match(r"\s+[a-zA-Z]", s.text[m.end - s.start:hi])) and \
        not re.match(r"\s+(?:for|on|in|to|and|at|within|of)\b", s.text[m.end - s.start:hi])


def _without_topics(s: Sent, lo: int, ents: list[Ment]) -> list[Ment]:
    """'Adviser on Syria and Iraq': states after 'on' are what the post is about, not where it is held."""
    out, prev_end, topic = [], lo, False
    for m in ents:
        between = s.text[prev_end:m.start - s.start]
        topic = bool(re.search(r"\bon\s+(?:the\s+)?$", between) or
                     (topic and re.fullmatch(r"\s*(?:,\s*)?(?:and\s+)?(?:the\s+)?", between)))
        if not topic:
            out.append(m)
        prev_end = m.end - s.start
    return out


@lru_cache(maxsize=4096)
def _role_key(phrase: str) -> str:
    """A title as compared with the known roles: one spelling ('Advisor' = 'Adviser'), and the superior the
    post reports to set aside ('Special Adviser to the UN Secretary-General on X' = 'Special Adviser on X')."""
    for variant, spelling in person_forms()["spelling_variants"].items():
        phrase = re.sub(rf"\b{variant}\b", spelling, phrase)
    return re.sub(r"\s+(?:of|to)\s+the\s+(?:UN\s+|United\s+Nations\s+)?Secretary[- ]General(?=\s+(?:on|for)\s)", "",
                  phrase)


def _title_and_new_org(ctx: Ctx, title: str, s: Sent) -> tuple[str, URIRef | None]:
    """An organization the gazetteer does not know, read from the title's form: a leading acronym
    ('ACPR Executive Director') or 'of the <Name ending in an organization word>'."""
    org_name = None
    lead = re.match(r"([A-Z]{2,8})\s+(?=[A-Z])", title)
    if lead and lead.group(1) not in ctx.gaz.cues["keep_upper"]:
        org_name, title = lead.group(1), title[lead.end():]
    else:
        of = re.search(r"\s+(?:of|at|within)\s+the\s+([A-Z][\w’'-]*(?:\s+(?:(?:of|for|on|and)\s+(?:the\s+)?)?"
                       r"[A-Z][\w’'-]*)+)$", title)
        if of and _forms_rx("org_head").search(of.group(1)):
            org_name, title = of.group(1), title[:of.start()]
    if org_name is None or not _role_noun_rx(ctx.gaz).search(title):
        return title, None
    org = iris.entity("org", iris.slug_or_digest(org_name))
    if ctx.gaz.get(org) is None:
        ctx.node(org, R2P.Organization, org_name, s)
    return title, org


def _former_role(ctx: Ctx, s: Sent, role: URIRef, label: str) -> tuple[URIRef, str]:
    """A role held before: its own concept ('former UN Special Adviser ...'), narrower than the role."""
    former = iris.entity("role", f"former-{ctx.slug_of(role)}")
    if former not in ctx.minted:
        ctx.node(former, R2P.Role, f"former {label}", s)
        if role not in ctx.minted and ctx.gaz.get(role) is None:
            ctx.node(role, R2P.Role, label, s)
        elif ctx.gaz.get(role) is not None:
            ctx.emit(role, RDF.type, R2P.Role, s, limit=1)
            ctx.emit(role, SKOS.prefLabel, _literal(ctx.gaz.get(role).pref), s, limit=1)
        ctx.emit(former, SKOS.broader, role, s, limit=1)
    return former, f"former {label}"


def _assignment(ctx: Ctx, s: Sent, p: Ment, role: URIRef, role_label: str, org: URIRef | None,
                year: Literal | None) -> None:
    if role not in ctx.minted and ctx.gaz.get(role) is None:
        ctx.node(role, R2P.Role, role_label, s)
    elif ctx.gaz.get(role) is not None:
        ctx.emit(role, RDF.type, R2P.Role, s, limit=1)
        ctx.emit(role, SKOS.prefLabel, _literal(ctx.gaz.get(role).pref), s, limit=1)
    person_slug = ctx.slug_of(p.iri)
    ra = iris.entity("role-assignment", f"{ctx.slug_of(role)}-{person_slug}-{ctx.when()}")
    label = f"{ctx.label_of(p.iri)} as {role_label}" + (f" ({ctx.year})" if ctx.year else "")
    ctx.node(ra, R2P.RoleAssignment, label, s)
    ctx.emit(ra, R2P.holder, p.iri, s)
    ctx.emit(ra, R2P.role, role, s)
    if org is not None:
        ctx.emit(ra, R2P.roleIn, org, s)
    if year is not None:
        ctx.emit(ra, R2P.year, year, s)
    if ctx.meeting:
        ctx.emit(ra, R2P.atMeeting, ctx.meeting.iri, s)


# ---------------------------------------------------------------------------------------------
# Focal points and announcements

def focal_post(ctx: Ctx, agent: URIRef, where) -> URIRef:
    post = iris.entity("post", f"focal-point-{ctx.slug_of(agent)}")
    ctx.node(post, R2P.FocalPointPost, f"R2P Focal Point of {ctx.label_of(agent)}", where)
    ctx.emit(agent, R2P.hasFocalPoint, post, where)
    if ctx.year:
        ctx.emit(post, R2P.year, ctx.year_lit(ctx.year), where)
    return post


_NEG = re.compile(r"\b(?:not\s+yet|not|never|yet\s+to|no)\s+(?:\w+\s+){0,2}$", re.I)


def rule_focal_points(ctx: Ctx) -> None:
    an = ctx.an
    speaking = ctx.cue("speaking")
    rx_of = re.compile(r"\b(?:R2P\s+)?Focal\s+Points?\s+(?:of|for|from)\s+(?:the\s+)?", re.I)
    rx_pre = re.compile(r"\s*(?:['’]s?\s+)?(?:national\s+)?R2P\s+Focal\s+Point\b")
    for s in an.sents:
        if s.block.kind == "title" or not s.mentions_any((STATE, ORG_LABEL)):
            continue  # focal points here are those of a state or organization named in the sentence
        for m in rx_of.finditer(s.text):
            if _NEG.search(s.text[:m.start()][-30:]):
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


def _list_at(ctx: Ctx, s: Sent, pos: int, labels: tuple[str, ...] = (STATE, ORG_LABEL),
             whole_items: bool = False) -> list[Ment]:
    """Agents listed from a position: 'the EU and OAS', 'Australia, Denmark, Ghana and the Global Centre'.
    A name the gazetteer does not know, between two it knows, is stepped over: the list goes on after it.
    With whole_items, a mention that only begins a longer noun phrase ('the UN Special Adviser') ends the list."""
    out = []
    cur = pos
    while True:
        nxt = [m for m in s.ments if m.start - s.start == cur and m.label in labels]
        if not nxt:
            nxt = _after_unknown_item(s, cur, labels) if out else []
            if not nxt:
                break
        m = max(nxt, key=lambda x: x.end)
        if whole_items and not _item_ends(ctx, s, m.end - s.start):
            break
        if _usable_agent(ctx, m):
            out.append(m)
        gap = _LIST_GAP.match(s.text[m.end - s.start:])
        if not gap:
            break
        cur = m.end - s.start + gap.end()
    return out


_LIST_GAP = re.compile(r"(?:\s*\([^)]*\))?(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+or\s+|\s*/\s*)(?:the\s+)?")
_UNKNOWN_ITEM = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|the|and))*?(?=\s*,)")


def _item_ends(ctx: Ctx, s: Sent, pos: int) -> bool:
    """A list item ends here: punctuation, the end, or a lower-case word that cannot continue a name ('and',
    'attended'); a capitalised word or 'of' continues a longer noun phrase ('the UN Special Adviser')."""
    return bool(_ITEM_END.match(s.text, pos))


_ITEM_END = re.compile(r"\s*(?:$|[,.;:)(]|[–—])|\s+(?!(?:of|for|on|to)\b)[a-z]")


def _after_unknown_item(s: Sent, cur: int, labels: tuple[str, ...]) -> list[Ment]:
    """The mentions right after one capitalized name the gazetteer does not know ('..., Ruritania, Spain')."""
    item = _UNKNOWN_ITEM.match(s.text, cur)
    if not item or len(item.group(0)) > 40:
        return []
    gap = _LIST_GAP.match(s.text, item.end())
    if not gap:
        return []
    return [m for m in s.ments if m.start - s.start == gap.end() and m.label in labels]


def _national_sections(ctx: Ctx) -> None:
    """'NATIONAL EXPERIENCES' style subsections: a heading that names a state or organization, then
    'The R2P Focal Point is ...'."""
    an = ctx.an
    heading_agent: dict[int, URIRef | None] = {}  # per subsection heading: the agent it names, if usable
    first_sent: dict[int, Sent] = {}              # per subsection: its first paragraph sentence
    for s in an.sents:
        blk = s.block
        if blk.subsection is None or blk.kind != "para":
            continue
        first_sent.setdefault(blk.subsection, s)
        head = an.blocks[blk.subsection]
        if blk.subsection not in heading_agent:
            agents = [m for m in an.ments if head.start <= m.start < head.end and m.label in (STATE, ORG_LABEL)]
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
    from .gazetteer import data_json
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


def _date_line(ctx: Ctx) -> Literal | None:
    """The page's date line, the date a news item states its news on (read by rule_document_date)."""
    return ctx.issued


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
            if _NEG.search(before[-25:]) or not _usable_agent(ctx, a):
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
            if _NEG.search(before[-25:]) or re.search(r"\b(?:to|that|who|which)\s+$", before):
                continue
            clause_start = max(before.rfind(";"), before.rfind(":"), 0)
            agents = [a for a in s.agents(clause_start, m.start(), labels=(STATE, ORG_LABEL, STATE_ADJ))
                      if _usable_agent(ctx, a) and m.start() - (a.end - s.start) < 120]
            if kind == "appointed":
                agents = agents[-1:]
            for a in agents:
                _announce(ctx, s, a.iri, kind, date)


# ---------------------------------------------------------------------------------------------
# Network size and coordination groups

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
        "nth_to_join": rf"\bthe\s+({_ordinal_rx(gaz)})\s+(?:(?:UN\s+)?member\s+)?(?:state|country|member)\s+to\s+"
                       rf"(?:join|appoint)\b",
    }.items()}


def _organizations_after(ctx: Ctx, s: Sent, pos: int) -> int | None:
    """'... and 2 regional organizations' or '... and the EU' after the state count."""
    num = _number_rx(ctx.gaz)
    m = _re(rf"\s+(?:\w+\s+){{0,3}}?and\s+({num})\s+(?:regional|international|intergovernmental)\s+organi[sz]ations\b", re.I).match(s.text[pos:])
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


def rule_groups(ctx: Ctx) -> None:
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
        if v and re.search(r"\b(?:comprised|composed|consists|consisting|made up|members)\b", v.group(0), re.I):
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
                _membership(ctx, g.iri, m.iri, int(year.group(1)) if year else None, s)
            if i > 0:
                prev = sents[i - 1]
                f = ctx.cue("founding_verbs").search(prev.text)
                by = re.search(r"\bby\s+(?:the\s+)?(?:governments?\s+of\s+)?", prev.text[f.end():]) if f else None
                if f and by and re.search(r"\bsince\s+then\b", s.text, re.I):
                    lo = f.end() + by.end()
                    stop = re.search(r"\bin\s+(?:collaboration|association|partnership|cooperation)\b|[;.]",
                                     prev.text[lo:])
                    hi = lo + (stop.start() if stop else len(prev.text))
                    year = re.search(r"\b(?:19|20)\d{2}\b", prev.text)
                    for m in [m for m in prev.agents(lo, hi, labels=(STATE, ORG_LABEL)) if _usable_agent(ctx, m)]:
                        _membership(ctx, g.iri, m.iri, int(year.group(0)) if year else None, (prev.start, s.end))


def _membership(ctx: Ctx, group: URIRef, member: URIRef, year: int | None, where) -> None:
    gslug, mslug = ctx.slug_of(group), ctx.slug_of(member)
    iri = iris.entity("membership", f"{gslug}-{mslug}" + (f"-{year}" if year else ""))
    ctx.node(iri, R2P.GroupMembership, f"{ctx.label_of(member)} in the {ctx.label_of(group)}"
             + (f" ({year})" if year else ""), where)
    ctx.emit(iri, R2P.group, group, where)
    ctx.emit(iri, R2P.groupMember, member, where)
    if year:
        ctx.emit(iri, R2P.year, ctx.year_lit(year), where)


# ---------------------------------------------------------------------------------------------
# Situations, crimes, pillars, mechanisms

def situation_of(ctx: Ctx, state: URIRef, where) -> URIRef:
    sit = iris.entity("situation", ctx.slug_of(state))
    ctx.node(sit, R2P.AtrocitySituation, ctx.label_of(state), where)
    ctx.emit(sit, R2P.situationIn, state, where)
    if ctx.meeting:
        ctx.emit(ctx.meeting.iri, R2P.discussedSituation, sit, where)
    ctx.situations.add(state)
    return sit


def rule_situations(ctx: Ctx) -> None:
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
            if re.search(r"\b(?:conflict|crisis|war|civil)\b", adj.text, re.I):
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
            year, name, noun, place = m.group("year"), m.group("name"), m.group("noun"), m.group("place")
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
            sit = iris.entity("situation", iris.slug_or_digest(phrase))
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


def rule_crimes_pillars(ctx: Ctx) -> None:
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


def resolutions(ctx: Ctx) -> list[tuple[Sent, int, int, URIRef, URIRef | None]]:
    """UN resolutions by number: (sentence, start, end, mechanism IRI, adopting body or None)."""
    bodies = {"security council": "security-council", "general assembly": "general-assembly",
              "human rights council": "human-rights-council"}
    rx = re.compile(r"\b(?:(?:UN\s+)?(Security Council|General Assembly|Human Rights Council)\s+)?[Rr]esolutions?\s+"
                    r"(?:such\s+as\s+|no\.\s*)?(\d{3,4})\b")
    known: dict[str, str] = {}
    out = []
    for s in ctx.an.sents:
        if "esolution" not in s.text:
            continue  # cheap test first
        for m in rx.finditer(s.text):
            body = m.group(1)
            key = bodies[body.lower()] if body else None
            if key is None:
                key = known.get(m.group(2))
            if key is None:
                named = {bodies[b] for b in bodies if re.search(b, s.text, re.I)}
                key = next(iter(named)) if len(named) == 1 else None
            if key:
                known[m.group(2)] = key
            slug = f"{key}-resolution-{m.group(2)}" if key else f"resolution-{m.group(2)}"
            out.append((s, s.start + m.start(), s.start + m.end(), iris.entity("mechanism", slug),
                        iris.entity("org", key) if (key and body) else None))
    return out


# Open classes found by their patterns: initiatives, reports, manuals and toolkits, codes of conduct, resolutions by
# symbol, quoted instruments, and networks. Each is a mention the later rules treat like a gazetteer mechanism.

_NAME_WORD = r"(?:[A-Z][\w'’-]*|R2P)"
_NAME_TAIL = rf"(?:\s+(?:on|for|of|to)\s+(?:the\s+)?{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|of|and|the|for|on|to))*)?"
_LEADING = re.compile(r"^(?:(?:The|This|That|These|An?|Its|Their|Our|Her|His|new|New)\s+)+")
_TRAILING = re.compile(r"(?:\s+(?:of|and|the|for|on|to|in))+$")


@dataclass
class Named:
    """A thing of an open class named in a sentence (offsets relative to the text of the analysis)."""
    sent: Sent
    start: int
    end: int
    iri: URIRef
    cls: URIRef
    label: str
    launched: Literal | None = None


@lru_cache(maxsize=4)
def _open_class_patterns(gaz: Gazetteer) -> list[tuple[str, re.Pattern]]:
    """The patterns of open-class names, compiled once per gazetteer; the head words are data (cues.json)."""
    heads = gaz.cues
    ordinal = _ordinal_rx(gaz)
    topic = rf"(?:R2P|[Rr]esponsibility\s+to\s+[Pp]rotect|{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|of|and|the|on))*)"
    sg = r"(?:(?:the|UN|United\s+Nations)\s+)*Secretary[- ]General['’]s"
    qual = rf"(?:(?:(?:19|20)\d{{2}}|{ordinal}|annual|Annual|latest|most\s+recent|new|special|Special)\s+)*"
    return [
        ("initiative", re.compile(rf"(?:(?:{_NAME_WORD}|national|regional|global)\s+){{1,6}}(?:[Ii]nitiative|Initiatives?)"
                                  rf"\b{_NAME_TAIL}")),
        ("report", re.compile(rf"{sg}\s+({qual})[Rr]eports?\s+(?:on|of)\s+(?:the\s+)?({topic})")),
        ("report", re.compile(rf"\b(?:the\s+)?({qual})[Rr]eports?\s+of\s+the\s+(?:UN\s+)?Secretary[- ]General\s+on\s+"
                              rf"(?:the\s+)?({topic})")),
        *((kind, _headed_name_rx(heads[f"{kind}_heads"])) for kind in ("guidance", "legal", "policy")),
        ("code", re.compile(rf"(?:{_NAME_WORD}\s+){{0,4}}[Cc]ode\s+of\s+[Cc]onduct(?:\s+(?:on|for|regarding|against)\s+"
                            rf"[\w\s,-]{{3,80}}?(?=[.;:\"”)]|,\s|\s+(?:which|that|was|is|and|adopted|signed|launched)\b|$))?")),
        ("symbol", re.compile(r"\b(S|A|A/HRC)/RES/(\d{1,4})(?:/(\d{1,4}))?(?:\s*\(((?:19|20)\d{2})\))?")),
        ("numbered", re.compile(r"\b(?:(?:UN\s+)?(Security\s+Council|General\s+Assembly|Human\s+Rights\s+Council)\s+)?"
                                r"[Rr]esolutions?\s+(?:no\.\s*)?(\d{1,3})/(\d{1,4})\b")),
        ("network", re.compile(rf"(?:{_NAME_WORD}\s+){{1,6}}Network\b{_NAME_TAIL}|\bNetwork\s+(?:of|for|on)\s+(?:the\s+)?"
                               rf"{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|of|and|the|for|on))*")),
    ]


def _headed_name_rx(heads: list[str]) -> re.Pattern:
    """A name ending in one of the head words ('Kigali Principles', 'Toolkit for ...', 'R2P manual')."""
    alt = _alt(heads)
    return re.compile(rf"(?:{_NAME_WORD}\s+){{1,5}}(?:{alt})\b{_NAME_TAIL}"
                      rf"|(?:{alt})\s+(?:for|on)\s+(?:the\s+)?{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|of|and|the|for|on))*")


@lru_cache(maxsize=32)
def _probe(gaz: Gazetteer, kind: str) -> re.Pattern:
    """The word every name of a kind contains, to skip sentences without it."""
    words = {"initiative": ["nitiative"], "report": ["eport"], "code": ["onduct"], "symbol": ["/RES/"],
             "numbered": ["esolution"], "network": ["Network"]}.get(kind) or gaz.cues[f"{kind}_heads"]
    return re.compile("|".join(re.escape(w) for w in words))


_BODY_SLUG = {"S": "security-council", "A": "general-assembly", "A/HRC": "human-rights-council"}
_BODY_NAMES = {"security-council": "UN Security Council", "general-assembly": "UN General Assembly",
               "human-rights-council": "UN Human Rights Council"}


def open_class_names(ctx: Ctx) -> list[Named]:
    """Initiatives, reports, manuals, codes, resolutions by symbol or session number, and networks, by pattern."""
    out: list[Named] = []
    pats = _open_class_patterns(ctx.gaz)
    for s in ctx.an.sents:
        if s.block.kind == "title":
            continue
        for kind, rx in pats:
            if not _probe(ctx.gaz, kind).search(s.text):
                continue  # cheap test first: the head word of the kind
            for m in rx.finditer(s.text):
                if _inside_longer_quote(s.text, m.start()):
                    continue  # part of a quoted title ('a conference on “Capacity: a Pacific Strategy”')
                named = _named(ctx, s, kind, m)
                if named is not None and not any(o.start < named.end and named.start < o.end for o in out):
                    out.append(named)
    return out


def _inside_longer_quote(text: str, pos: int) -> bool:
    """Whether a position is inside a quotation that began before it (not right at it)."""
    opened = max(text.rfind("“", 0, pos), text.rfind('"', 0, pos) if text.count('"', 0, pos) % 2 else -1)
    if opened < 0 or text.rfind("”", 0, pos) > opened:
        return False
    return bool(text[opened + 1:pos].strip(" ‘'"))


def _named(ctx: Ctx, s: Sent, kind: str, m: re.Match) -> Named | None:
    if kind == "symbol":
        body = _BODY_SLUG[m.group(1)]
        number = f"{m.group(2)}-{m.group(3)}" if m.group(3) else m.group(2)
        year = _literal(m.group(4), datatype=XSD.gYear) if m.group(4) else None
        return _resolution(s, m.start(), m.end(), body, number, year)
    if kind == "numbered":
        body = {"security council": "security-council", "general assembly": "general-assembly",
                "human rights council": "human-rights-council"}.get(re.sub(r"\s+", " ", (m.group(1) or "").lower()))
        return _resolution(s, m.start(), m.end(), body, f"{m.group(2)}-{m.group(3)}", None)
    if kind == "report":
        return _report(ctx, s, m)
    text = _TRAILING.sub("", m.group(0))
    text = re.sub(r"['’]s$", "", text)
    lead = _LEADING.match(text)
    start = m.start() + (lead.end() if lead else 0)
    text = text[lead.end():] if lead else text
    if "'s " in text or "’s " in text or not re.search(r"[A-Z]", text):
        return None  # "the Secretary-General's initiative": a possessive, not a name
    words = re.findall(r"[A-Z][\w'’-]*|R2P", text)
    if all(w in ctx.gaz.adjectives or w in ("Global", "Network", "Initiative") for w in words):
        return None  # "the Danish initiative", "the Global Network": not a name of its own
    end = start + len(text)
    if kind != "network" and any(o.label == MECHANISM and o.start - s.start < end and start < o.end - s.start
                                 for o in s.ments):
        return None  # the gazetteer knows it
    if kind == "network":
        if any(o.label in (ORG_LABEL, MECHANISM) and o.start - s.start < end and start < o.end - s.start for o in s.ments):
            return None
        return Named(s, s.start + start, s.start + end, iris.entity("org", iris.slug_or_digest(text)), R2P.Network, text)
    if len(text.split()) < 2:
        return None  # 'the Approach': a head word alone names nothing
    cls = {"initiative": R2P.Initiative, "guidance": R2P.GuidanceDocument, "code": R2P.LegalInstrument,
           "legal": R2P.LegalInstrument, "policy": R2P.Mechanism}[kind]
    return Named(s, s.start + start, s.start + end, iris.entity("mechanism", iris.slug_or_digest(text)), cls, text)


def _resolution(s: Sent, start: int, end: int, body: str | None, number: str, year: Literal | None) -> Named:
    slug = f"{body}-resolution-{number}" if body else f"resolution-{number}"
    label = f"{_BODY_NAMES[body]} Resolution {number.replace('-', '/')}" if body else \
        f"UN Resolution {number.replace('-', '/')}"
    return Named(s, s.start + start, s.start + end, iris.entity("mechanism", slug), R2P.UNResolution, label, year)


def _report(ctx: Ctx, s: Sent, m: re.Match) -> Named:
    """'the Secretary-General's 2014 report on R2P', 'the sixth report of the Secretary-General on ...'."""
    qual, topic = m.group(1) or "", _TRAILING.sub("", m.group(2))
    r2p = bool(re.fullmatch(r"R2P|(?:the\s+)?[Rr]esponsibility\s+to\s+[Pp]rotect", topic))
    topic_slug = "r2p" if r2p else iris.slug_or_digest(topic)
    year = re.search(r"(?:19|20)\d{2}", qual)
    nth = next((ordinal_value(ctx.gaz, w) for w in qual.split() if ordinal_value(ctx.gaz, w)), None)
    which = year.group(0) if year else (f"{nth}" if nth else "")
    if not which and r2p:
        return Named(s, s.start + m.start(), s.start + m.end(), iris.entity("mechanism", "secretary-generals-reports-on-r2p"),
                     R2P.GuidanceDocument, "UN Secretary-General's reports on R2P")
    slug = f"secretary-general-report-on-{topic_slug}" + (f"-{which}" if which else "")
    label = f"UN Secretary-General's report on {'R2P' if r2p else topic}" + (
        f" ({which})" if year else f" (no. {which})" if which else "")
    return Named(s, s.start + m.start(), s.start + m.end(), iris.entity("mechanism", slug), R2P.GuidanceDocument, label,
                 _literal(year.group(0), datatype=XSD.gYear) if year else None)


def _quoted_generic(ctx: Ctx, s: Sent, m: Ment) -> bool:
    """A generic term ('early warning systems') inside a quoted passage of another text: that text's words, not a
    mechanism this document discusses."""
    e = ctx.gaz.get(m.iri)
    return e is not None and e.case_insensitive and _inside_longer_quote(s.text, m.start - s.start)


def _add_named(ctx: Ctx, named: list[Named]) -> list[Ment]:
    """Type and label each open-class name, and make it a mention for the rules that follow."""
    out = []
    for n in named:
        known = ctx.gaz.get(n.iri)
        if known is None and n.cls == R2P.Network:
            _mint_network(ctx, n.iri, n.label, n.sent)
        else:
            ctx.node(n.iri, known.cls if known else n.cls, known.pref if known else n.label, n.sent)
        if n.launched is not None:
            ctx.emit(n.iri, R2P.launchedOn, n.launched, n.sent)
        label = ORG_LABEL if n.cls == R2P.Network else MECHANISM
        m = Ment(n.start, n.end, label, n.iri, ctx.an.text[n.start:n.end])
        n.sent.ments.append(m)
        out.append(m)
    return out


def _dates_in(ctx: Ctx, text: str) -> list[tuple[int, int, Literal]]:
    """Every dated expression with a year in a text: (start, end, value); 'the December 2016 resolution' too."""
    return _dates_in_text(ctx.gaz, text)


@lru_cache(maxsize=256)
def _dates_in_text(gaz: Gazetteer, text: str) -> list[tuple[int, int, Literal]]:
    out = []
    pos = 0
    while pos < len(text):
        found = find_date(gaz, text[pos:], None)
        if found is None:
            break
        at = pos + found.pos
        end = re.match(r"\S+(?:\s+\S+){0,3}", text[at:])
        out.append((at, at + (end.end() if end else 1), found.start))
        pos = at + (end.end() if end else 1)
    for m in _re(rf"\b({_month_rx(gaz)})\s+((?:19|20)\d{{2}})\b", re.I).finditer(text):
        if not any(a <= m.start() < b for a, b, _ in out):
            month = gaz.numbers["months"][m.group(1).lower()]
            out.append((m.start(), m.end(), _literal(f"{m.group(2)}-{month:02d}", datatype=XSD.gYearMonth)))
    return sorted(out, key=lambda d: d[0])


def _launch(ctx: Ctx, s: Sent, mech: Ment) -> None:
    """When and by whom a mechanism was launched, when the sentence says so: 'M, adopted in December 2018',
    'M was launched in 2010 by the governments of A and B', 'In August 2011, A issued M', 'the launching of M'."""
    ms, me = s.rel(mech)
    verbs = ctx.cue("launch_verbs")
    after = _re(rf",?\s*(?:\([^)]*\)\s*)?(?:(?:which|that)\s+)?(?:(?:was|were|is|are|has\s+been|had\s+been|is\s+being|"
                     rf"was\s+being)\s+)?(?:(?:first|jointly|formally|recently|later|also)\s+)?({verbs.pattern})", 0).match(s.text[me:])
    if after:
        dates = _dates_in(ctx, s.text)
        lo = me + after.end()
        clause = re.search(r"[;]|,\s+(?:and|but|while|which)\b|\.\s", s.text[lo:])
        hi = lo + (clause.start() if clause else len(s.text) - lo)
        when = next((d for d in dates if lo <= d[0] < hi and d[0] - lo < 80), None)
        if when is not None:
            ctx.emit(mech.iri, R2P.launchedOn, when[2], s)
        by = _re(rf"\bby\s+(?:the\s+)?(?:(?:{_alt(ctx.gaz.cues['launcher_heads'])})(?:\s+\w+){{0,3}}?\s+(?:of|for)\s+"
                 rf"(?:the\s+)?)?(?:[\w-]+\s+){{0,3}}?", re.I).search(s.text[lo:hi])
        if by and by.start() < 80:
            first = [a for a in s.agents(lo + by.end(), hi, labels=(ORG_LABEL, STATE, GOV_BODY))
                     if a.start - s.start == lo + by.end()]
            if first:
                for a in _list_at(ctx, s, lo + by.end(), labels=(ORG_LABEL, STATE, GOV_BODY)):
                    ctx.emit(mech.iri, R2P.establishedBy, a.iri, s)
        return
    before = s.text[:ms]
    verb = _re(rf"({verbs.pattern}|\blaunch(?:ing)?\s+of|\bcreation\s+of|\badoption\s+of)(?:\s+with\s+[^;.]{{1,80}}?\s+on)?"
                     rf"\s+(?:(?:a|an|the|its|their|new|first|on)\s+)*[\"“]?$", re.I).search(before)
    if verb is None:
        return
    clause_start = max(before.rfind(";", 0, verb.start()), 0)
    dates = _dates_in(ctx, s.text)
    when = [d for d in dates if clause_start <= d[0] and d[1] <= verb.start() + 1 and verb.start() - d[0] < 160]
    if when:
        ctx.emit(mech.iri, R2P.launchedOn, when[-1][2], s)
    if re.match(r"launch|creation|adoption", verb.group(1), re.I):
        # 'A and B convened a meeting that resulted in the launching of M': the subject launched it.
        agents = [a for a in s.agents(clause_start, verb.start(), labels=(ORG_LABEL, STATE, GOV_BODY))
                  if _usable_agent(ctx, a)]
        if agents and verb.start() - (agents[-1].end - s.start) < 100:
            for a in _coordinated_tail(s, agents):
                ctx.emit(mech.iri, R2P.establishedBy, a.iri, s)


def _hyphen_authorized(ctx: Ctx, s: Sent, mech: Ment) -> None:
    """'the Human Rights Council-authorized Fact-Finding Mission': the body before the hyphen set it up."""
    ms, _ = s.rel(mech)
    for a in s.agents(0, ms, labels=(ORG_LABEL, GOV_BODY)):
        if _re(rf"-(?:{_alt(ctx.gaz.cues['launch_verbs'])})\s+(?:the\s+)?", re.I).fullmatch(s.text[a.end - s.start:ms]):
            ctx.emit(mech.iri, R2P.establishedBy, a.iri, s)


_YEAR_NAME = re.compile(r"^((?:19|20)\d{2})\s")


def _year_in_name(ctx: Ctx, mech: Ment, s: Sent) -> None:
    """A name that begins with a year ('2005 World Summit Outcome Document') says when the instrument was made."""
    e = ctx.gaz.get(mech.iri)
    m = _YEAR_NAME.match(e.pref) if e is not None else None
    if m:
        ctx.emit(mech.iri, R2P.launchedOn, _literal(m.group(1), datatype=XSD.gYear), s)


def _courts_as_mechanisms(ctx: Ctx) -> None:
    """An international court or tribunal the text names is also an accountability mechanism."""
    heads = ctx.cue("court_heads")
    for s in ctx.an.sents:
        for m in s.ments:
            e = ctx.gaz.get(m.iri) if m.label == ORG_LABEL else None
            if e is not None and heads.search(e.pref) and not _in_parens(s.text, m.start - s.start):
                ctx.emit(m.iri, RDF.type, R2P.AccountabilityMechanism, s, limit=1)
                if ctx.meeting and s.block.kind != "title":
                    ctx.emit(ctx.meeting.iri, R2P.discussedMechanism, m.iri, s, limit=1)


def rule_mechanisms(ctx: Ctx) -> list[Ment]:
    """Mechanisms discussed, who established them and which situation they concern. Returns resolution mentions."""
    est = ctx.cue("establish_verbs")
    names = {"security-council": "UN Security Council", "general-assembly": "UN General Assembly",
             "human-rights-council": "UN Human Rights Council"}
    extra: list[Ment] = []
    for s, start, end, iri, body in resolutions(ctx):
        slug = ctx.slug_of(iri)
        num = slug.rsplit("-", 1)[1]
        key = slug.rsplit("-resolution-", 1)[0] if "-resolution-" in slug else None
        label = f"{names[key]} Resolution {num}" if key else f"UN Resolution {num}"
        ctx.node(iri, R2P.UNResolution, label, s)
        if body is not None:
            ctx.emit(iri, R2P.establishedBy, body, s)
        m = Ment(start, end, MECHANISM, iri, ctx.an.text[start:end])
        extra.append(m)
        s.ments.append(m)
    extra += _add_named(ctx, open_class_names(ctx))
    for s in ctx.an.sents:
        if any(m.label == MECHANISM and _quoted_generic(ctx, s, m) for m in s.ments):
            s.ments[:] = [m for m in s.ments if not (m.label == MECHANISM and _quoted_generic(ctx, s, m))]
    for s in ctx.an.sents:
        s.ments.sort(key=lambda m: (m.start, -m.end))
        mechs = [m for m in s.ments if m.label == MECHANISM]
        for mech in mechs:
            if ctx.meeting and s.block.kind != "title":
                ctx.emit(ctx.meeting.iri, R2P.discussedMechanism, mech.iri, s, limit=2)
            _launch(ctx, s, mech)
            _hyphen_authorized(ctx, s, mech)
            _year_in_name(ctx, mech, s)
            ms, me = s.rel(mech)
            # Who set it up: "A ... established M", "M established by A", "A-authorized M", "A's authorization of M".
            for a in s.agents(labels=(ORG_LABEL, STATE, GOV_BODY)):
                if not _usable_agent(ctx, a):
                    continue
                as_, ae = s.rel(a)
                if ae <= ms:
                    between = s.text[ae:ms]
                    if len(between) < 90 and est.search(between) and not re.search(r"[;]", between) \
                            and not any(o.label in (MECHANISM, STATE, ORG_LABEL, GOV_BODY) and ae <= o.start - s.start < ms
                                        and o is not a for o in s.ments):
                        ctx.emit(mech.iri, R2P.establishedBy, a.iri, s)
                elif as_ >= me:
                    between = s.text[me:as_]
                    if re.fullmatch(r",?\s*(?:(?:was|were|which\s+was|that\s+was)\s+)?"
                                    r"(?:established|created|authori[sz]ed|set\s+up|mandated|adopted)\s+by\s+(?:the\s+)?",
                                    between):
                        ctx.emit(mech.iri, R2P.establishedBy, a.iri, s)
            # What it is for: "Commission of Inquiry on Burundi", "Mechanism for Syria", "... to investigate ... in Syria".
            states = []
            inner = re.search(r"\b(?:on|for)\s+(?:the\s+)?(.+)$", mech.text)
            if inner:
                for e in ctx.gaz.by_alias.get(fold(inner.group(1)), []):
                    if e.kind == "state":
                        states.append(e.iri)
            for st in s.agents(labels=(STATE,)):
                between = s.text[me:st.start - s.start]
                if st.start >= mech.end and (re.fullmatch(r"\s+(?:on|for)\s+(?:the\s+)?", between) or (
                        re.match(r"(?:\s*\([A-Z]+\))?\s+(?:\w+\s+)?to\s+(?:investigate|review|document|examine|monitor)\b",
                                 between) and len(between) < 110 and not re.search(r"[;.]", between))):
                    states.append(st.iri)
            for st in dict.fromkeys(states):
                sit = situation_of(ctx, st, s)
                ctx.emit(mech.iri, R2P.concernsSituation, sit, s)
    _courts_as_mechanisms(ctx)
    return extra


# ---------------------------------------------------------------------------------------------
# Sessions and recommendations

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
        ctx.emit(iri, RDFS.label, _literal(label), where)
        ctx.emit(ctx.meeting.iri, R2P.hasSession, iri, where)


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


# ---------------------------------------------------------------------------------------------
# Types and labels of every entity mentioned

_LEADING_THE = re.compile(r"^(?:the|The)\s+")


def rule_labels(ctx: Ctx) -> None:
    an = ctx.an
    first: dict[URIRef, Sent] = {}
    variants: dict[URIRef, dict[str, Sent]] = {}
    for s in an.sents:
        for m in s.ments:
            if m.label in (CRIME,):
                continue
            if m.label == STATE_ADJ:
                first.setdefault(m.iri, s)
                continue
            if m.iri not in first or ctx.an.sents[first[m.iri].idx].ments and all(
                    x.label == STATE_ADJ for x in first[m.iri].ments if x.iri == m.iri):
                first[m.iri] = s
            variants.setdefault(m.iri, {}).setdefault(_LEADING_THE.sub("", m.text), s)
    for iri, s in first.items():
        e = ctx.gaz.get(iri)
        if e is not None:
            if e.cls is None:
                continue
            cls, pref = e.cls, e.pref
        elif iri in an.entities:
            cls, pref = an.entities[iri]
        elif iri in ctx.minted:
            continue
        else:
            continue
        if iri not in ctx.minted:
            ctx.minted[iri] = (cls, pref)
            ctx.emit(iri, RDF.type, cls, s, limit=1)
            ctx.emit(iri, SKOS.prefLabel, _literal(pref), s, limit=1)
        for text, vs in variants.get(iri, {}).items():
            if text != pref and (m := text.strip()) and (e is None or e.kind != "person") and \
                    (cls != R2P.Person):
                ctx.emit(iri, SKOS.altLabel, _literal(m), vs, limit=1)
        if iri in an.body_state:
            ctx.emit(iri, R2P.partOf, an.body_state[iri], s, limit=1)


RULES = [rule_meeting, rule_other_meetings, rule_counts, rule_theme, rule_participants, rule_persons,
         rule_focal_points, rule_announcements, rule_network_size, rule_groups, rule_situations,
         rule_crimes_pillars, rule_sessions, rule_recommendations]
