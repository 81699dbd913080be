"""Meetings and their series: the meeting a document is about, its date, place and hosts, meetings mentioned in passing."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from rdflib import URIRef
from r2pkg.graph import iris
from ..analysis import Ment, Sent
from ..gazetteer import CITY, ORG as ORG_LABEL, STATE, Gazetteer, fold
from .base import (
    Ctx, Meeting, NETWORK, R2P, RDF, SKOS, XSD, _alt, _literal, _meeting_data, _ordinal_rx, find_date, ordinal_value,
    rule, yearless_date_text, english,
)
from .document_date import _URL_LINE, _cue_words_rx, date_line, dateline, rule_document_date
from .lists import _coordinated_tail, _in_parens, _usable_agent
from .time_words import words_rx
from ..wordlists import literal_probe


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
def _hint_rxs(gaz: Gazetteer) -> tuple[re.Pattern, re.Pattern]:
    """The meeting nouns and ordinal words as substrings of a lower-cased text (one search each, not
    a test per word, each word from its rarest letter: see `literal_probe`)."""
    ordinals = (*gaz.numbers["ordinal_units"], *gaz.numbers["ordinal_tens"])
    nouns = (w.split()[0] for w in _meeting_data()["meeting_nouns"])
    return tuple(literal_probe(words) for words in (nouns, ordinals))


def _may_name_a_numbered_meeting(gaz: Gazetteer, text: str) -> bool:
    """A meeting noun and some ordinal ('3rd', 'XII ', 'fifth') are in the text: substring tests
    that spare most sentences the full pattern."""
    low = text.lower()
    nouns, ordinals = _hint_rxs(gaz)
    if not nouns.search(low):
        return False
    return bool(_NUMBERED.search(text) or ordinals.search(low))


def _meeting_phrases(ctx: Ctx, s: Sent) -> list[MeetingMention]:
    """Every numbered meeting phrase of a sentence, with the series it names (found once per sentence)."""
    if s.idx not in ctx.phrases:
        ctx.phrases[s.idx] = _find_meeting_phrases(ctx, s)
    return ctx.phrases[s.idx]


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


def _meeting_mentions(ctx: Ctx, s: Sent) -> list[tuple[int, int, int]]:
    """(ordinal, start, end) of the Global Network's numbered meetings a sentence names ('the seventh
    annual meeting'): its meeting phrases of that series, or of none (the sentence's mentions of the
    network can only make a phrase of no series the network's, so those decide nothing here)."""
    return [(m.ordinal, m.start, m.end) for m in _meeting_phrases(ctx, s) if m.series is None or m.series.annual]


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
        ctx.emit(iri, SKOS.altLabel, english(short.group(1)), where, limit=1)


def _mint_series(ctx: Ctx, series: Series, phrase: str, where: Sent) -> None:
    """The series node, its network, and the name this text gives it (an altLabel)."""
    ctx.series[series.iri] = series
    ctx.node(series.iri, R2P.MeetingSeries, series.label, where)
    if series.network is not None:
        ctx.emit(series.iri, R2P.ofNetwork, series.network, where, limit=1)
        if ctx.gaz.get(series.network) is None and series.network not in ctx.minted:
            _mint_network(ctx, series.network, series.network_label, where)
    if phrase and not series.annual and phrase != series.label:
        ctx.emit(series.iri, SKOS.altLabel, english(phrase), where, limit=1)


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
                rf"\b(?:{_alt(ctx.gaz.cues['held_verbs'])})\b", s.text)):
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
    return bool(ctx.cue("gathering_nouns").search(s.text))


@rule(reads=("default_year", "meeting", "phrases", "series", "year"),
      writes=("default_year", "issued", "meeting", "phrases", "series", "start_date", "title_sent", "year",
             "dcterms:issued", "r2p:aboutMeeting", "r2p:dateText", "r2p:endDate", "r2p:heldInCity",
             "r2p:heldInCountry", "r2p:hostedBy", "r2p:inAssociationWith", "r2p:inSeries", "r2p:ofNetwork",
             "r2p:ordinal", "r2p:startDate", "rdf:type", "skos:altLabel", "skos:prefLabel",
             "r2p:announcedHostOf", "r2p:announcesMeeting"))
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
        ctx.emit(iri, RDF.type, R2P.PlannedMeeting, hosting[0], limit=1)


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


def _hosts(ctx: Ctx, meeting: URIRef, s: Sent, announced: bool = False) -> int:
    """The hosts a sentence names: 'A and B co-hosted ...', '... hosted by A', 'A will host ...'.
    Hosts of an announced meeting are also its announced hosts. Returns how many were found."""
    text = s.text
    loc = _location_states(ctx, s)
    verb = ctx.cue("host_verbs").search(text) or _cue_words_rx("announced_verbs").search(text)
    by = re.search(rf"\b(?:co-)?(?:{_alt(ctx.gaz.cues['host_by_verbs'])})\s+by\b", text)
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
    partners = _association_partners(ctx, s, verb)
    agents = [m for m in agents if id(m) not in partners]
    for partner in dict.fromkeys(m.iri for m in partners.values()):
        ctx.emit(meeting, R2P.inAssociationWith, partner, s)
    for host in dict.fromkeys(ctx.an.body_state.get(m.iri, m.iri) for m in agents):  # a ministry hosts for its state
        ctx.emit(meeting, R2P.hostedBy, host, s)
        if announced:
            ctx.emit(host, R2P.announcedHostOf, meeting, s)
    return len(agents)


def _association_partners(ctx: Ctx, s: Sent, verb: re.Match) -> dict[int, Ment]:
    """'A and B, in association with C, co-hosted ...', '... hosted the meeting in association with C': the
    partners named after the association words (up to the host verb or the clause's end), by mention id."""
    found: dict[int, Ment] = {}
    for m in words_rx("association_words").finditer(s.text):
        if m.start() < verb.start() < m.end() + 200:
            hi = verb.start()
        else:
            stop = re.search(r"[;.]|,\s+(?:which|who|where|on|from|and\s+(?:the\s+)?meeting)\b|\s+(?:in|at)\s+(?=[A-Z])",
                             s.text[m.end():])
            hi = m.end() + (stop.start() if stop else len(s.text) - m.end())
        for a in s.agents(m.end(), hi):
            if _usable_agent(ctx, a):
                found[id(a)] = a
    return found


def _co_hosts(ctx: Ctx, s: Sent, lo: int, hi: int, loc: set[int]) -> list[Ment]:
    """'in collaboration with the Ministry of Foreign Affairs of X': the ministry's state, or the agents named."""
    found = [m for m in s.agents(lo, hi) if id(m) not in loc and _usable_agent(ctx, m)]
    return found[:1] if found and re.match(rf"\s*(?:the\s+)?(?:{_alt(ctx.gaz.cues['government_office_heads'])})\b", s.text[lo:]) \
        else found


def _acronym_org(ctx: Ctx, s: Sent, at: int, name: str) -> Ment:
    """An organization no list knows, named by its acronym as the subject of a host verb ('XYZI co-organized')."""
    iri = iris.entity("org", iris.slug_or_digest(name))
    if ctx.gaz.get(iri) is None and iri not in ctx.an.entities:
        ctx.node(iri, R2P.Organization, name, s)
    return Ment(s.start + at, s.start + at + len(name), ORG_LABEL, iri, name)


@rule(reads=("meeting", "phrases", "series"),
      writes=("phrases", "series", "r2p:announcedHostOf", "r2p:heldInCity", "r2p:inSeries", "r2p:ofNetwork",
             "r2p:ordinal", "r2p:startDate", "rdf:type", "skos:altLabel", "skos:prefLabel", "r2p:announcedAt"))
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
            later = own.ordinal is not None and ordinal > own.ordinal and series.iri == own.series
            if later and _planned_verbs().search(s.text, me, clause_end):
                _planned(ctx, iri, s)  # 'the fourth annual meeting ... should be held in 2014'
            f = future.search(s.text[:ms])
            if f and (series.iri != own.series or (own.ordinal is not None and ordinal > own.ordinal)):
                agents = [m for m in s.agents(0, f.start()) if _usable_agent(ctx, m)]
                for host in _coordinated_tail(s, agents):
                    ctx.emit(host.iri, R2P.announcedHostOf, iri, s)
                _planned(ctx, iri, s)


def _series_by_iri(ctx: Ctx, iri: URIRef | None) -> Series:
    """The Series a minted series node was made from (the document's own series)."""
    if iri is None or iri == ANNUAL_SERIES.iri:
        return ANNUAL_SERIES
    return ctx.series.get(iri, ANNUAL_SERIES)


def _planned(ctx: Ctx, iri: URIRef, where: Sent) -> None:
    """A meeting the document announces for later, and the meeting at which it was announced."""
    ctx.emit(iri, RDF.type, R2P.PlannedMeeting, where, limit=1)
    if ctx.meeting is not None and ctx.meeting.iri != iri:
        ctx.emit(iri, R2P.announcedAt, ctx.meeting.iri, where, limit=1)


@lru_cache(maxsize=1)
def _planned_verbs() -> re.Pattern:
    """'should be held', 'will take place': a meeting still to come."""
    return re.compile(rf"\b(?i:{_alt(_meeting_data()['next_meeting_verbs'])})\b")


@lru_cache(maxsize=1)
def _statement_rxs() -> tuple[re.Pattern, re.Pattern]:
    """A distinction ('This was the first meeting ... hosted by a regional organization') and a next meeting
    planned without a number ('another global meeting ... should be scheduled for 2013'), from meetings.json."""
    data = _meeting_data()
    nouns = _alt(data["meeting_nouns"])
    distinction = re.compile(rf"(?i:{_alt(data['distinction_leads'])})\s+(?P<what>(?i:{_alt(data['distinction_words'])})"
                             rf"\b[^.;]*?\b(?i:{nouns}|time)\b[^;]*?)\s*\.?$")
    mods = _alt(data["meeting_modifiers"])
    following = re.compile(rf"\b(?i:{_alt(data['next_meeting_leads'])})\s+(?:(?i:{mods})\s+){{0,3}}(?i:meeting)\b"
                           rf"[^.;]*?\b(?i:{_alt(data['next_meeting_verbs'])})\b")
    return distinction, following


@rule(reads=("meeting", "phrases", "series"),
      writes=("phrases", "series", "r2p:announcedAt", "r2p:distinction", "r2p:inSeries", "r2p:ordinal", "r2p:startDate", "rdf:type",
             "skos:prefLabel"))
def rule_meeting_statements(ctx: Ctx) -> None:
    """What the document says of its meeting ('the first in the Middle East region') and the next meeting it
    plans without numbering it: the next of its own series, dated by the year the sentence gives."""
    own = ctx.meeting
    if own is None:
        return
    distinction, following = _statement_rxs()
    for s in ctx.an.sents:
        text = s.text
        if "first" not in text.lower() and "meeting" not in text.lower():
            continue  # a cheap test: every distinction and plan names one of these (or a meeting noun)
        d = distinction.match(text)
        if d:
            ctx.emit(own.iri, R2P.distinction, _literal(d.group("what").strip()), s)
            continue
        f = following.search(text)
        if f and own.ordinal is not None and own.annual and not _meeting_phrases(ctx, s):
            year = re.search(r"\b(?:for|in|during)\s+((?:19|20)\d{2})\b", text[f.start():])
            iri = _mint_meeting(ctx, own.ordinal + 1, ANNUAL_SERIES, "", s)
            if year:
                ctx.emit(iri, R2P.startDate, ctx.year_lit(int(year.group(1))), s)
            _planned(ctx, iri, s)
