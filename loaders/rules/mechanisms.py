"""Mechanisms, resolutions, reports, initiatives and networks the text names, found by their patterns."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from rdflib import Literal, URIRef
from r2pkg.graph import iris
from ..analysis import Ment, Sent, person_forms
from ..gazetteer import GOV_BODY, MECHANISM, ORG as ORG_LABEL, STATE, Gazetteer, data_json, fold
from .base import Ctx, R2P, RDF, XSD, _alt, _literal, _month_rx, _ordinal_rx, _re, find_date, ordinal_value, rule
from .lists import _coordinated_tail, _in_parens, _list_at, _usable_agent
from .meetings import _mint_network
from .history import headed_names, history, instances, partnerships, posts, proposal_before, quoted_instruments
from .situations import _TRAILING, situation_of
from ..wordlists import literal_probe


@lru_cache(maxsize=1)
def _un_bodies() -> list[dict[str, str]]:
    """The UN bodies that adopt resolutions (gazetteers/resolution-bodies.json)."""
    return data_json("resolution-bodies.json")["bodies"]


def resolutions(ctx: Ctx) -> list[tuple[Sent, int, int, URIRef, URIRef | None]]:
    """UN resolutions by number: (sentence, start, end, mechanism IRI, adopting body or None)."""
    bodies = {b["name"].lower(): b["slug"] for b in _un_bodies()}
    rx = re.compile(rf"\b(?:(?:UN\s+)?({_alt([b['name'] for b in _un_bodies()])})\s+)?[Rr]esolutions?\s+"
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


_NAME_WORD = r"(?:[A-Z][\w'’-]*|R2P)"


_NAME_TAIL = rf"(?:\s+(?:on|for|of|to)\s+(?:the\s+)?{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|of|and|the|for|on|to))*)?"


_LEADING = re.compile(r"^(?:(?:The|This|That|These|An?|Its|Their|Our|Her|His|new|New)\s+)+")


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
    sg = rf"(?:(?:the|{_alt(person_forms()['organization_prefixes'])})\s+)*Secretary[- ]General['’]s"
    qual = rf"(?:(?:(?:19|20)\d{{2}}|{ordinal}|annual|Annual|latest|most\s+recent|new|special|Special)\s+)*"
    return [
        ("initiative", re.compile(rf"(?:(?:{_NAME_WORD}|national|regional|global)\s+){{1,6}}(?:[Ii]nitiative|Initiatives?)"
                                  rf"\b{_NAME_TAIL}")),
        ("report", re.compile(rf"{sg}\s+({qual})[Rr]eports?\s+(?:on|of)\s+(?:the\s+)?({topic})")),
        ("report", re.compile(rf"\b(?:the\s+)?({qual})[Rr]eports?\s+of\s+the\s+(?:UN\s+)?Secretary[- ]General\s+on\s+"
                              rf"(?:the\s+)?({topic})")),
        *((kind, _headed_name_rx(heads[cue])) for kind, cue in HEADED_KINDS.items()),
        ("code", re.compile(rf"(?:{_NAME_WORD}\s+){{0,4}}[Cc]ode\s+of\s+[Cc]onduct(?:\s+(?:on|for|regarding|against)\s+"
                            rf"[\w\s,-]{{3,80}}?(?=[.;:\"”)]|,\s|\s+(?:which|that|was|is|and|{_alt(gaz.cues['instrument_verbs'])})\b|$))?")),
        ("symbol", re.compile(r"\b(S|A|A/HRC)/RES/(\d{1,4})(?:/(\d{1,4}))?(?:\s*\(((?:19|20)\d{2})\))?")),
        ("numbered", re.compile(rf"\b(?:(?:UN\s+)?({_alt([b['name'] for b in _un_bodies()])})\s+)?"
                                r"[Rr]esolutions?\s+(?:no\.\s*)?(\d{1,3})/(\d{1,4})\b")),
        ("network", re.compile(rf"(?:{_NAME_WORD}\s+){{1,6}}Network\b{_NAME_TAIL}|\bNetwork\s+(?:of|for|on)\s+(?:the\s+)?"
                               rf"{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|of|and|the|for|on))*")),
    ]


def _headed_name_rx(heads: list[str]) -> re.Pattern:
    """A name ending in one of the head words ('Kigali Principles', 'Toolkit for ...', 'R2P manual')."""
    alt = _alt(heads)
    return re.compile(rf"(?:{_NAME_WORD}\s+){{1,5}}(?:{alt})\b{_NAME_TAIL}"
                      rf"|(?:{alt})\s+(?:for|on)\s+(?:the\s+)?{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|of|and|the|for|on))*")


# Kinds of name known by their head word, and the cue list of those words.
HEADED_KINDS = {"guidance": "guidance_heads", "legal": "legal_heads", "policy": "policy_heads"}


_PROBE_WORDS = {"initiative": ["nitiative"], "report": ["eport"], "code": ["onduct"], "symbol": ["/RES/"],
                "numbered": ["esolution"], "network": ["Network"]}


@lru_cache(maxsize=32)
def _probe(gaz: Gazetteer, kind: str) -> re.Pattern:
    """The words one of which every name of a kind contains (as written), to skip sentences without any."""
    words = _PROBE_WORDS.get(kind) or gaz.cues[HEADED_KINDS[kind]]
    return literal_probe(words)


@lru_cache(maxsize=4)
def _any_probe(gaz: Gazetteer) -> re.Pattern:
    """The head words of every kind, in one probe: most sentences name no open-class thing at all."""
    return literal_probe({w for kind, _ in _open_class_patterns(gaz) for w in _PROBE_WORDS.get(kind) or
                          gaz.cues[HEADED_KINDS[kind]]})


def _body_by_symbol(symbol: str) -> str:
    return next(b["slug"] for b in _un_bodies() if b["symbol"] == symbol)


def _body_label(slug: str) -> str:
    return next(b["label"] for b in _un_bodies() if b["slug"] == slug)


def open_class_names(ctx: Ctx) -> list[Named]:
    """Initiatives, reports, manuals, codes, resolutions by symbol or session number, and networks, by pattern."""
    out: list[Named] = []
    pats = _open_class_patterns(ctx.gaz)
    any_kind = _any_probe(ctx.gaz)
    for s in ctx.an.sents:
        if s.block.kind == "title" or not any_kind.search(s.text):
            continue  # cheap test first: the head word of some kind
        for kind, rx in pats:
            if not _probe(ctx.gaz, kind).search(s.text):
                continue  # cheap test first: the head word of the kind
            if kind == "network" and _every_network_word_named(s):
                continue  # "the Global Network of ...": a name the gazetteer knows (_named would refuse it)
            for m in rx.finditer(s.text):
                if _inside_longer_quote(s.text, m.start()):
                    continue  # part of a quoted title ('a conference on “Capacity: a Pacific Strategy”')
                named = _named(ctx, s, kind, m)
                if named is not None and not any(o.start < named.end and named.start < o.end for o in out):
                    out.append(named)
    return out


def _every_network_word_named(s: Sent) -> bool:
    """Every "Network" of the sentence is inside a known organization's or mechanism's name."""
    names = [(m.start - s.start, m.end - s.start) for m in s.ments if m.label in (ORG_LABEL, MECHANISM)]
    return all(any(a <= m.start() and m.end() <= b for a, b in names) for m in re.finditer("Network", s.text))


def _inside_longer_quote(text: str, pos: int) -> bool:
    """Whether a position is inside a quotation that began before it (not right at it)."""
    opened = max(text.rfind("“", 0, pos), text.rfind('"', 0, pos) if text.count('"', 0, pos) % 2 else -1)
    if opened < 0 or text.rfind("”", 0, pos) > opened:
        return False
    return bool(text[opened + 1:pos].strip(" ‘'"))


def _named(ctx: Ctx, s: Sent, kind: str, m: re.Match) -> Named | None:
    if kind == "symbol":
        body = _body_by_symbol(m.group(1))
        number = f"{m.group(2)}-{m.group(3)}" if m.group(3) else m.group(2)
        year = _literal(m.group(4), datatype=XSD.gYear) if m.group(4) else None
        return _resolution(s, m.start(), m.end(), body, number, year)
    if kind == "numbered":
        body = {b["name"].lower(): b["slug"] for b in _un_bodies()}.get(re.sub(r"\s+", " ", (m.group(1) or "").lower()))
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
    label = f"{_body_label(body)} Resolution {number.replace('-', '/')}" if body else \
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
    if re.match(r"launch|creation|adoption", verb.group(1), re.I) and not proposal_before(before, verb.start()):
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


@rule(reads=("found_mentions", "meeting", "situations"),
      writes=("found_mentions", "situations", "r2p:concernsSituation", "r2p:discussedMechanism",
             "r2p:discussedSituation", "r2p:establishedBy", "r2p:launchedOn", "r2p:situationIn",
             "rdf:type", "skos:altLabel", "skos:prefLabel", "r2p:adoptedBy", "r2p:proposedBy", "r2p:isProposed",
             "r2p:establishedUnder", "r2p:ownedBy", "r2p:kindOf", "r2p:hasPartner"))
def rule_mechanisms(ctx: Ctx) -> None:
    """Mechanisms discussed, who established them and which situation they concern. The resolution mentions it finds join the document's."""
    est = ctx.cue("establish_verbs")
    for s, start, end, iri, body in resolutions(ctx):
        slug = ctx.slug_of(iri)
        num = slug.rsplit("-", 1)[1]
        key = slug.rsplit("-resolution-", 1)[0] if "-resolution-" in slug else None
        label = f"{_body_label(key)} Resolution {num}" if key else f"UN Resolution {num}"
        ctx.node(iri, R2P.UNResolution, label, s)
        if body is not None:
            ctx.emit(iri, R2P.establishedBy, body, s)
        m = Ment(start, end, MECHANISM, iri, ctx.an.text[start:end])
        ctx.found_mentions.append(m)
        s.ments.append(m)
    ctx.found_mentions += _add_named(ctx, open_class_names(ctx))
    ctx.found_mentions += partnerships(ctx) + posts(ctx) + headed_names(ctx) + quoted_instruments(ctx)
    instances(ctx)  # 'the EU's early warning mechanism': the instance takes the generic mention's place
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
            history(ctx, s, mech)
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
                                    rf"(?:{_alt(ctx.gaz.cues['established_by_verbs'])})\s+by\s+(?:the\s+)?",
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
                        re.match(rf"(?:\s*\([A-Z]+\))?\s+(?:\w+\s+)?to\s+(?:{_alt(ctx.gaz.cues['mandate_verbs'])})\b",
                                 between) and len(between) < 110 and not re.search(r"[;.]", between))):
                    states.append(st.iri)
            for st in dict.fromkeys(states):
                sit = situation_of(ctx, st, s)
                ctx.emit(mech.iri, R2P.concernsSituation, sit, s)
    _courts_as_mechanisms(ctx)
