"""What every rule shares: the context it reads and writes through, the vocabulary, numbers and dates."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from rdflib import Literal, URIRef, namespace
from r2pkg.graph import iris, vocab
from ..analysis import Analysis, Ment, Sent
from ..gazetteer import Gazetteer, data_json
from ..model import Fact, Span
from ..wordlists import folded_text, plain_words, plain_words_in, word_alternation


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


def english(text: str) -> Literal:
    """A label as the loaders write it: in English, the language of the texts they read (clients choose a label by
    its language tag)."""
    return _literal(text, lang="en")


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
    found_mentions: list[Ment] = field(default_factory=list)   # mentions rules find (mechanisms)
    original: str = ""
    default_year: int | None = None   # the year of the page's date line: lent to a date written without one
    issued: Literal | None = None     # the page's date line: the document's publication date (dct:issued)
    series: dict = field(default_factory=dict)   # meeting series met in the document, by IRI
    phrases: dict = field(default_factory=dict)  # the meeting phrases of each sentence, by its index
    # (s, p, o) -> [facts emitted, {(start, end) of evidence: index of its latest fact}]. rdflib Literals hash
    # in Python (and a tuple's hash is never kept), while rules pass the same term objects again and again: so
    # the entry is found first by the terms' identities (_by_ids, which keeps the terms alive, so that an id
    # is never another term's), by their values only for terms not seen before.
    _seen: dict[tuple, list] = field(default_factory=dict)
    _by_ids: dict[tuple[int, int, int], tuple[list, tuple]] = field(default_factory=dict)
    _spans: dict[tuple[int, int], Span] = field(default_factory=dict)  # cleaned (start, end) -> original span
    rule: tuple[str, ...] = ()   # the running rule's name, as a Fact's `rules` (set by `run_rules`; one tuple per rule)
    _in_text: dict[tuple[str, ...], bool] = field(default_factory=dict)   # see in_text
    _folded: list[str | None] = field(default_factory=list)              # see folded (empty: not made yet)

    # -- output -------------------------------------------------------------------------------
    def span(self, where: Sent | tuple[int, int]) -> Span:
        key = (where.start, where.end) if isinstance(where, Sent) else tuple(where)
        span = self._spans.get(key)
        if span is None:
            span = self._spans[key] = self.an.mapped.span(*key)
        return span

    def emit(self, s: URIRef, p: URIRef, o, where: Sent | tuple[int, int], limit: int = 3) -> None:
        ids = (id(s), id(p), id(o))
        known = self._by_ids.get(ids)
        if known is None:
            key = (s, p, o)
            known = self._by_ids[ids] = (self._seen.setdefault(key, [0, {}]), key)
        seen = known[0]
        # self.span(where), inline: a fact or a repeat is emitted some 1,000 times a summary
        cleaned = (where.start, where.end) if isinstance(where, Sent) else tuple(where)
        span = self._spans.get(cleaned)
        if span is None:
            span = self._spans[cleaned] = self.an.mapped.span(*cleaned)
        at = (span.start, span.end)
        # The same triple with the same evidence among the last 50 facts is a repeat (a dict lookup, not a scan):
        # no new fact, but a rule that had not read it there is named on it too, after the others.
        last = seen[1].get(at)
        facts = self.facts
        if last is not None and last >= len(facts) - 50:
            self._also_read_by(last)
            return
        if seen[0] >= limit:
            return
        seen[0] += 1
        seen[1][at] = len(facts)
        facts.append(Fact(s, p, o, span, self.rule))

    def _also_read_by(self, index: int) -> None:
        """The running rule named on a fact an earlier rule emitted from the same sentence (kept in order)."""
        fact = self.facts[index]
        if self.rule and self.rule[0] not in fact.rules:
            self.facts[index] = Fact(fact.subject, fact.predicate, fact.object, fact.evidence, fact.rules + self.rule)

    def node(self, iri: URIRef, cls: URIRef, label: str, where) -> URIRef:
        """A node made by a rule (meeting, post, role assignment...): its type and one prefLabel."""
        if iri not in self.minted:
            self.minted[iri] = (cls, label)
            self.emit(iri, RDF.type, cls, where, limit=1)
            self.emit(iri, SKOS.prefLabel, english(label), where, limit=1)
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

    def in_text(self, *names: str) -> bool:
        """Whether a word of these cue lists is anywhere in the document's text, even inside a word (one search,
        kept for the document). False says that no sentence has a match of `cue` for those lists: a sentence is a
        piece of the text, and a match of a cue pattern in it is a match of the probe in the text."""
        found = self._in_text.get(names)
        if found is None:
            found = self._in_text[names] = self.anywhere(_cue_words(self.gaz, *names), _cue_probe(self.gaz, *names))
        return found

    def folded(self) -> str | None:
        """The document's text as `wordlists.folded_text` gives it, made once."""
        if not self._folded:
            self._folded.append(folded_text(self.an.text))
        return self._folded[0]

    def anywhere(self, words: tuple[str, ...] | None, probe: re.Pattern) -> bool:
        """Whether `probe`, the case-blind alternation of `words` taken anywhere, finds a match in the document's
        text: with `in` on the folded text when the words are plain (`wordlists.plain_words`), else the pattern."""
        folded = self.folded() if words is not None else None
        if folded is None:
            return bool(probe.search(self.an.text))
        return plain_words_in(words, folded)

    def year_lit(self, year: int | None) -> Literal | None:
        return _literal(str(year), datatype=XSD.gYear) if year else None

    def when(self) -> str:
        return str(self.year) if self.year else (self.meeting.slug if self.meeting else self.slug)


_CUE_CACHE: dict[str, re.Pattern] = {}


@lru_cache(maxsize=64)
def _cue_probe(gaz: Gazetteer, *names: str) -> re.Pattern:
    """The words of these cue lists anywhere, in any case: no match, and no pattern built on those lists
    can match either (a cheap test that spares most sentences a rule's patterns)."""
    words = [w for name in names for w in gaz.cues[name]]
    return re.compile(word_alternation(words, ignore_case=True, not_after=None, is_pattern=lambda word: "[" in word))


@lru_cache(maxsize=64)
def _cue_words(gaz: Gazetteer, *names: str) -> tuple[str, ...] | None:
    """The words of _cue_probe's lists as `plain_words` (None when one is a pattern)."""
    return plain_words(w for name in names for w in gaz.cues[name])


def _cue_rx(gaz: Gazetteer, name: str) -> re.Pattern:
    if name not in _CUE_CACHE:
        found = word_alternation(gaz.cues[name], ignore_case=True, is_pattern=lambda word: "[" in word)
        _CUE_CACHE[name] = re.compile(found + r"(?![\w-])")  # a word with "[" in it is a pattern
    return _CUE_CACHE[name]


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


@lru_cache(maxsize=4)
def _month_probe(gaz: Gazetteer) -> re.Pattern:
    return re.compile(_month_any_rx(gaz), re.I)


def _has_month(gaz: Gazetteer, text: str) -> bool:
    """Whether `_month_probe` finds a month's name in the text: with `in` on the text in lower case (the probe,
    an alternation that starts anywhere, was tried at every character: some 0.2 ms a sentence)."""
    words = _month_words(gaz)
    folded = folded_text(text) if words is not None else None
    if folded is None:
        return bool(_month_probe(gaz).search(text))
    return plain_words_in(words, folded)


@lru_cache(maxsize=4)
def _month_words(gaz: Gazetteer) -> tuple[str, ...] | None:
    """The month names as plain words ('jan', 'feb', ...: a name holds its abbreviation)."""
    return plain_words(gaz.numbers["months"])


_DIGIT = re.compile(r"\d")
# What some date expressions cannot do without (each test starts with a digit: the regex engine skips to one).
_NEEDS = {
    "four digits": (re.compile(r"\d{4}"), {"dmdmy", "mdmdy", "mdy", "my", "y"}),
    "a day, then a separator": (re.compile(r"\d(?:st|nd|rd|th)?\s*(?:and|to|until|till|through|-|–|—|‐|‑)", re.I),
                                {"ddmy", "mddy", "mdmdy"}),
}


@lru_cache(maxsize=4096)
def _first_date(gaz: Gazetteer, text: str) -> tuple[str, re.Match] | None:
    """The earliest date expression of a text, and its kind (the longer pattern wins a tie). Kept for the texts
    seen last: several rules ask it of the same sentence (the meeting's date, the date line, dates in a text), and
    it was a tenth of the rules' time."""
    if not _DIGIT.search(text):
        return None  # cheap tests first: every date has a digit, and all but a bare year a month
    patterns = _date_patterns(gaz) if _has_month(gaz, text) else _date_patterns(gaz)[-1:]
    impossible = set().union(*(kinds for rx, kinds in _NEEDS.values() if not rx.search(text)))
    best = None
    for kind, rx in patterns:
        if kind in impossible:
            continue
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
# The registry: each rule declares what it reads and writes (spaCy's component contract)

CONTEXT_FIELDS = ("meeting", "year", "start_date", "title_sent", "default_year", "issued", "series", "phrases",
                  "situations", "found_mentions")


@dataclass(frozen=True)
class Rule:
    """A rule and its contract: the context fields it reads (`reads`), and the context fields and the
    predicates (as CURIEs) it writes (`writes`). The meeting context is written only by the rules that
    say so; every other rule reads it as it is. `tests/test_rules_registry.py` holds each rule to its
    contract on every text the tests have."""
    name: str
    run: Callable[[Ctx], None]
    reads: frozenset[str]
    writes: frozenset[str]


def rule(*, reads: Iterable[str] = (), writes: Iterable[str] = ()) -> Callable[[Callable[[Ctx], None]], Callable[[Ctx], None]]:
    """Declare a function a rule, with its contract (see `Rule`)."""
    def register(run: Callable[[Ctx], None]) -> Callable[[Ctx], None]:
        run.contract = Rule(run.__name__, run, frozenset(reads), frozenset(writes))
        return run
    return register
