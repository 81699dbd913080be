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

from .analysis import Analysis, Block, Ment, Sent
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
        slug = iris.slugify(slug)
        return Series(iris.entity("series", slug), slug, plural, singular, False, iri, label)
    key = sorted(dict.fromkeys(key))
    slug = iris.slugify("-".join([*key, "focal-points" if focal else "", f"{noun}s"]))
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
    return iris.entity("org", iris.slugify(name)), name


def _mint_series(ctx: Ctx, series: Series, phrase: str, where: Sent) -> None:
    """The series node, its network, and the name this text gives it (an altLabel)."""
    ctx.series[series.iri] = series
    ctx.node(series.iri, R2P.MeetingSeries, series.label, where)
    if series.network is not None:
        ctx.emit(series.iri, R2P.ofNetwork, series.network, where, limit=1)
        if ctx.gaz.get(series.network) is None and series.network not in ctx.minted:
            ctx.node(series.network, R2P.Network, series.network_label, where)
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
    iri = iris.entity("org", iris.slugify(name))
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
    if ctx.meeting is None:
        return
    meeting = ctx.meeting.iri
    rep = re.compile(r"\b(?:representatives|officials|delegations|delegates)\s+(?:from|of)\b", re.I)
    for s in ctx.an.sents[1:]:
        if not s.mentions_any((STATE, ORG_LABEL)):
            continue  # only states and organizations are read as participants here
        for m in rep.finditer(s.text):
            end = re.search(r"\bin its capacity\b|;", s.text[m.end():])
            hi = m.end() + (end.start() if end else len(s.text))
            for a in s.agents(m.end(), hi, labels=(STATE, ORG_LABEL)):
                if _usable_agent(ctx, a) and not _in_parens(s.text, a.start - s.start):
                    ctx.emit(meeting, R2P.hasParticipant, a.iri, s)


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
        for b in re.finditer(r";|:|—|–|\bby\b|\bwith\b|\bfrom\b|,|\bincluding\b", body):
            cut = b.end()
        others = [o for o in s.ments if o.label == PERSON and o.end - s.start <= len(body) and o is not p]
        if others:
            cut = max(cut, max(o.end - s.start for o in others))
        # "Ms. X, Head of ..., Mr. Y": the phrase before Y is X's apposition, not Y's.
        if re.match(r"\s*and\b", body[cut:]) or not any(re.fullmatch(r"\s*,\s*", text[o.end - s.start:cut])
                                                          for o in others):
            out.append((cut, len(body)))
    ps, pe = s.rel(p)
    post = text[pe:]
    # A predicate after the apposition: "The Focal Point of X, Ms. Y, is the Director of ..." or
    # "..., serves as Deputy Director-General ...": the title ends before a coordinated verb.
    pred = re.match(r",\s+(?:is|serves\s+as|acts\s+as|works\s+as)\s+(?:(?:the|a|an)\s+)?(?=[A-Z])", post)
    if pred:
        lo = pe + pred.end()
        stop = re.search(r"[,;.](?:\s|$)|\s[–—]\s|\s+and\s+(?=[a-z])|$", text[lo:])
        out.append((lo, lo + (stop.start() if stop else len(text) - lo)))
        return out
    m = re.match(r",\s+", post)
    if m and (re.match(r"(?:the\s+)?(?:[A-Z]|UN\b)", post[m.end():])) and not re.match(r"(?:and|who|which|also)\b",
                                                                                       post[m.end():]):
        lo = pe + m.end()
        stop = re.search(r"[,;.](?:\s|$)|\s[–—]\s|$", text[lo:])
        hi = lo + (stop.start() if stop else len(text) - lo)
        for o in s.ments:
            if o.label == PERSON and o is not p and lo <= (o.hon_start or o.start) - s.start < hi:
                hi = (o.hon_start or o.start) - s.start
        out.append((lo, hi))
    if p.hon_start is not None and p.hon_start < p.start:
        title = s.text[p.hon_start - s.start:ps].strip()
        if any(o.label == ROLE and o.start >= p.hon_start and o.end <= p.start for o in s.ments):
            out.append((p.hon_start - s.start, ps))
        del title
    return out


def _split_roles(ctx: Ctx, s: Sent, lo: int, hi: int) -> list[tuple[int, int]]:
    parts = []
    start = lo
    ends = {m.end - s.start for m in s.ments}
    for m in re.finditer(r"\s+and\s+", s.text[lo:hi]):
        a, b = lo + m.start(), lo + m.end()
        if a in ends or s.text[b:].startswith("former "):
            parts.append((start, a))
            start = b
    parts.append((start, hi))
    return parts


def rule_persons(ctx: Ctx) -> None:
    gaz = ctx.gaz
    speaking = ctx.cue("speaking")
    roles = sorted(((a, r) for r in gaz.roles() for a in [r.pref, *r.aliases]), key=lambda x: -len(x[0]))
    meeting = ctx.meeting.iri if ctx.meeting else None
    for s in ctx.an.sents:
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
            m = re.match(r"\s+of\s+(?:the\s+)?", s.text[pe:])
            if m:
                for a in s.agents(pe + m.end(), pe + m.end() + 120, labels=(ORG_LABEL, STATE, GOV_BODY)):
                    if a.start - s.start == pe + m.end():
                        ctx.emit(p.iri, R2P.affiliatedWith, a.iri, s)
            for lo, hi in _role_phrases(ctx, s, p):
                for plo, phi in _split_roles(ctx, s, lo, hi):
                    _one_role(ctx, s, p, plo, phi, roles, spoke)


def _one_role(ctx: Ctx, s: Sent, p: Ment, lo: int, hi: int, roles, spoke: bool) -> None:
    phrase = s.text[lo:hi]
    lead = re.match(r"\s*(?:and\s+)?(?:the\s+|The\s+)?", phrase)
    lo += lead.end()
    phrase = s.text[lo:hi].rstrip()
    hi = lo + len(phrase)
    if not phrase or phrase.startswith("former") or not (phrase[0].isupper() or phrase.startswith("UN")):
        return
    if len(phrase.split()) > 16 or re.search(r"\b(?:was|were|is|are|has|have|had)\b", phrase):
        return
    ents = [m for m in s.agents(lo, hi, labels=(ORG_LABEL, STATE, GOV_BODY)) if _usable_agent(ctx, m)]
    # The organization the role is in: a government body, else the last entity after of/at/for/within/'s.
    aff = None
    for m in ents:
        before = s.text[lo:m.start - s.start]
        if re.search(r"(?:\bof|\bat|\bfor|\bwithin|\bfrom)\s+(?:the\s+)?$", before) or \
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
    for alias, r in roles:
        if r.slug == "r2p-focal-point":
            continue
        if _whole_phrase_rx(alias).search(phrase):
            role_iri, role_label = r.iri, r.pref
            role_org = iris.entity("org", r.info["org"]) if r.info.get("org") else None
            break
    if role_iri is None:
        first = ents[0] if ents else None
        title = phrase if first is None else s.text[lo:first.start - s.start]
        title = re.sub(r"\s+(?:of|at|for|within|from|to|in)(?:\s+the)?\s*$", "", title).strip()
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
        role_iri, role_label = iris.entity("role", iris.slugify(title)), title
    where = body.iri if body is not None else (aff.iri if aff is not None else None)
    org = role_org or where
    _assignment(ctx, s, p, role_iri, role_label, org, ctx.year_lit(ctx.year))
    if aff is not None:
        target = ctx.an.body_state.get(aff.iri, aff.iri)
        ctx.emit(p.iri, R2P.affiliatedWith, target, s)
        if spoke and ctx.meeting and ctx.gaz.get(target) and ctx.gaz.get(target).kind == "state":
            ctx.emit(ctx.meeting.iri, R2P.hasParticipant, target, s)
    elif body is not None:
        ctx.emit(p.iri, R2P.affiliatedWith, body.iri, s)


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


def _list_at(ctx: Ctx, s: Sent, pos: int) -> list[Ment]:
    """Agents listed from a position: 'the EU and OAS', 'Australia, Denmark, Ghana and the Global Centre'."""
    out = []
    cur = pos
    while True:
        nxt = [m for m in s.ments if m.start - s.start == cur and m.label in (STATE, ORG_LABEL)]
        if not nxt:
            break
        m = max(nxt, key=lambda x: x.end)
        if _usable_agent(ctx, m):
            out.append(m)
        gap = re.match(r"(?:\s*\([^)]*\))?(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+or\s+|\s*/\s*)(?:the\s+)?",
                       s.text[m.end - s.start:])
        if not gap:
            break
        cur = m.end - s.start + gap.end()
    return out


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


def rule_announcements(ctx: Ctx) -> None:
    if ctx.meeting is None:
        return
    intent = ctx.cue("appoint_intent")
    done = re.compile(r"\b(?:has\s+|have\s+|had\s+)?appointed\b")
    for s in ctx.an.sents[1:]:
        if not s.mentions_any((STATE, ORG_LABEL, STATE_ADJ)):
            continue  # an announcement needs an agent named in the sentence
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
                ann = iris.entity("announcement", f"{ctx.slug_of(a.iri)}-{ctx.when()}")
                verb = "intention to appoint" if kind == "intends" else "appointment of"
                ctx.node(ann, R2P.AppointmentAnnouncement,
                         f"{ctx.label_of(a.iri)}: {verb} an R2P Focal Point" + (f" ({ctx.year})" if ctx.year else ""), s)
                ctx.emit(ann, R2P.announcedBy, a.iri, s)
                ctx.emit(ann, R2P.atMeeting, ctx.meeting.iri, s)
                ctx.emit(ann, R2P.intent, _literal(kind), s)
                if ctx.year:
                    ctx.emit(ann, R2P.year, ctx.year_lit(ctx.year), s)
                if ctx.start_date is not None:
                    ctx.emit(ann, R2P.date, ctx.start_date, s)
                if kind == "appointed":
                    focal_post(ctx, a.iri, s)
                else:
                    ctx.emit(ctx.meeting.iri, R2P.hasParticipant, a.iri, s)


# ---------------------------------------------------------------------------------------------
# Network size and coordination groups

def rule_network_size(ctx: Ctx) -> None:
    num = _number_rx(ctx.gaz)
    attend = ctx.cue("attendance")
    obs = iris.entity("observation", f"network-size-{ctx.slug}")
    for s in ctx.an.sents:
        states = orgs = None
        m = re.search(rf"\b({num})\s+national\s+and\s+({num})\s+(?:regional|international)\b", s.text, re.I)
        if m:
            states, orgs = number_value(ctx.gaz, m.group(1)), number_value(ctx.gaz, m.group(2))
        elif re.search(r"\bnetwork\b", s.text, re.I) and not attend.search(s.text):
            m = re.search(rf"\b(?:include|includes|including|comprises?|comprising|of|to)\s+({num})\s+"
                          rf"(?:countries|states|member\s+states)\b", s.text, re.I)
            if m:
                states = number_value(ctx.gaz, m.group(1))
                m2 = re.search(rf"\band\s+({num})\s+(?:regional|international)\s+organi[sz]ations\b", s.text[m.end():], re.I)
                if m2:
                    orgs = number_value(ctx.gaz, m2.group(1))
        if states is None:
            m = re.search(rf"\b({num})\s+(?:countries|states)\s+(?:have|had)\s+(?:now\s+|already\s+)?appointed\b",
                          s.text, re.I)
            if m:
                states = number_value(ctx.gaz, m.group(1))
        if not states:
            continue
        ctx.node(obs, R2P.NetworkSizeObservation, f"Size of the Global Network ({ctx.when()})", s)
        ctx.emit(obs, R2P.ofNetwork, NETWORK, s)
        ctx.emit(obs, R2P.stateCount, _literal(states, datatype=XSD.integer), s)
        if orgs:
            ctx.emit(obs, R2P.organizationCount, _literal(orgs, datatype=XSD.integer), s)
        if ctx.start_date is not None:
            ctx.emit(obs, R2P.date, ctx.start_date, s)
        elif ctx.year:
            ctx.emit(obs, R2P.date, ctx.year_lit(ctx.year), s)
        return


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
    for s in ctx.an.sents:
        s.ments.sort(key=lambda m: (m.start, -m.end))
        mechs = [m for m in s.ments if m.label == MECHANISM]
        for mech in mechs:
            if ctx.meeting and s.block.kind != "title":
                ctx.emit(ctx.meeting.iri, R2P.discussedMechanism, mech.iri, s, limit=2)
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
        slug = f"{ctx.meeting.slug}-{iris.slugify(b.text)}"
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
            f"{ctx.meeting.slug}-{iris.slugify(heading.text) if heading else f'list-{n_list}'}"
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
