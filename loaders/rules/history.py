"""A mechanism's history and kind: who adopted or proposed it, under which body, whose it is, what it is an
instance of; partnerships of named parties, posts a body is asked to create, and named things with a mechanism's
head word. Called by rule_mechanisms, whose contract declares what these functions write.

Every cue is data (gazetteers/mechanism-history.json); each pass tests a sentence with one cheap probe first."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from rdflib import Literal, URIRef
from r2pkg.graph import iris
from ..analysis import Ment, Sent
from ..gazetteer import CITY, CRIME, GOV_BODY, MECHANISM, ORG as ORG_LABEL, PERSON, REGION, ROLE, STATE, STATE_ADJ, Gazetteer, \
    data_json, data_lines, fold
from ..wordlists import word_alternation
from .base import Ctx, R2P, SKOS, _literal
from .lists import _coordinated_tail, _list_at, _usable_agent

AGENTS = (STATE, ORG_LABEL, GOV_BODY)


@lru_cache(maxsize=1)
def cues() -> dict:
    """The cue lists of gazetteers/mechanism-history.json."""
    return data_json("mechanism-history.json")


@lru_cache(maxsize=64)
def _words(name: str, cased: bool = False) -> str:
    """A cue list as a regex alternation (case-insensitive unless the list is a cased one)."""
    return word_alternation(cues()[name], ignore_case=not cased)


@lru_cache(maxsize=128)
def _rx(pattern: str) -> re.Pattern:
    """A pattern compiled once: the passes build theirs from cue lists on every document."""
    return re.compile(pattern)


def _sentences_with(ctx: Ctx, words: tuple[str, ...], lower: bool = False) -> list[Sent]:
    """The sentences holding one of the words, found with str.find over the document's text (far cheaper than a
    pattern tried on every sentence: most documents name few of the things a pass looks for)."""
    text = ctx.an.text.lower() if lower else ctx.an.text
    if any(" " in w for w in words):
        text = text.replace("\n", " ")  # a phrase broken over lines is still found; offsets are kept
    hits: set[int] = set()
    for word in words:
        at = text.find(word)
        while at >= 0:
            hits.add(at)
            at = text.find(word, at + 1)
    if not hits:
        return []
    sents = ctx.an.sents
    starts = [s.start for s in sents]
    found = {bisect_right(starts, at) - 1 for at in hits}
    return [sents[i] for i in sorted(found) if i >= 0]


@lru_cache(maxsize=32)
def _key_words(name: str, lower: bool = True) -> tuple[str, ...]:
    """The longest word of each cue of a list: a sentence without any of them cannot match the list."""
    return tuple(sorted({max(c.split(), key=len).lower() if lower else max(c.split(), key=len)
                         for c in cues()[name]}))


def _agent_at(ctx: Ctx, s: Sent, pos: int) -> list[Ment]:
    """The agents listed from a position of the sentence (one, or 'A, B and C')."""
    return [a for a in _list_at(ctx, s, pos, labels=AGENTS) if _usable_agent(ctx, a)]


# -- instances of generic mechanisms, and owners of named ones ---------------------------------------------------

def _possessive() -> re.Pattern:
    """The possessive after an owner: "'s", "’s", "s'" and a qualifier ('the EU's recent Toolkit')."""
    return _rx(rf"['’]s?\s+(?:(?:{_words('possessive_qualifiers')})\s+)?[\"“]?")


def instances(ctx: Ctx) -> None:
    """'the European Union's early warning mechanism' is its own entity, a kind of early warning mechanism, the
    EU's; 'the UN's Framework of Analysis' is the UN's. The instance replaces the generic mention, so the rules
    after this one link the instance."""
    heads = _rx(rf"((?:[a-z][\w-]*\s+){{0,4}}?)({_words('instance_heads')})s?\b")
    for s in _sentences_with(ctx, ("'", "’")):  # a possessive first
        for owner in s.agents(labels=AGENTS):
            gap = _possessive().match(s.text, s.rel(owner)[1])
            if gap is None or not _usable_agent(ctx, owner):
                continue
            at = gap.end()
            owner_iri = owner.iri
            mech = next((m for m in s.ments if m.label == MECHANISM and m.start - s.start == at), None)
            if mech is not None:
                _instance_of_mention(ctx, s, owner_iri, mech)
                continue
            found = heads.match(s.text, at)
            if found and _modifiers_only(found.group(1)):
                _new_instance(ctx, s, owner_iri, at, found.end())


def _modifiers_only(words: str) -> bool:
    known = {w.lower() for w in cues()["instance_modifiers"]}
    return all(w.lower() in known for w in words.split())


def _instance_of_mention(ctx: Ctx, s: Sent, owner: URIRef, mech: Ment) -> None:
    e = ctx.gaz.get(mech.iri)
    generic = e is not None and e.case_insensitive
    if not generic:
        ctx.emit(mech.iri, R2P.ownedBy, owner, s)
        return
    iri = iris.mechanism_instance(ctx.slug_of(owner), ctx.slug_of(mech.iri))
    ctx.node(iri, e.cls, f"{ctx.label_of(owner)}'s {mech.text}", s)
    ctx.emit(iri, R2P.kindOf, mech.iri, s)
    ctx.emit(iri, R2P.ownedBy, owner, s)
    s.ments[s.ments.index(mech)] = Ment(mech.start, mech.end, MECHANISM, iri, mech.text)


def _new_instance(ctx: Ctx, s: Sent, owner: URIRef, start: int, end: int) -> None:
    """'Ghana's national peace council': the kind is the phrase itself (or the gazetteer's entry for it)."""
    phrase = s.text[start:end]
    if any(m.start - s.start < end and start < m.end - s.start for m in s.ments if m.label != MECHANISM):
        return
    known = next((e for e in ctx.gaz.by_alias.get(fold(phrase), []) if e.kind == "mechanism"), None)
    inner = [m for m in s.ments if m.label == MECHANISM and start <= m.start - s.start and m.end - s.start <= end]
    if known is None and inner and ctx.gaz.get(inner[-1].iri) is not None:
        known = ctx.gaz.get(inner[-1].iri)  # 'Kenya's national early warning mechanism': an early warning mechanism
    for m in inner:
        s.ments.remove(m)
    kind = known.iri if known else iris.entity("mechanism", iris.slug_or_digest(phrase))
    cls = known.cls if known else (R2P.NationalMechanism if ctx.gaz.get(owner) is not None
                                   and ctx.gaz.get(owner).kind == "state" else R2P.Mechanism)
    if known is None:
        ctx.node(kind, cls, phrase[:1].upper() + phrase[1:], s)
    iri = iris.mechanism_instance(ctx.slug_of(owner), ctx.slug_of(kind))
    ctx.node(iri, cls, f"{ctx.label_of(owner)}'s {phrase}", s)
    ctx.emit(iri, R2P.kindOf, kind, s)
    ctx.emit(iri, R2P.ownedBy, owner, s)
    s.ments.append(Ment(s.start + start, s.start + end, MECHANISM, iri, phrase))


# -- partnerships, posts and other named things --------------------------------------------------------------------

@lru_cache(maxsize=4)
def _partnership_rx(_gaz: Gazetteer) -> re.Pattern:
    part = r"(?:[A-Z]{2,6}|[A-Z][a-z]+)"
    return re.compile(rf"\b({part}(?:[-–]{part}){{1,4}})\s+(?:({_words('partnership_qualifiers')})\s+)?"
                      rf"({_words('partnership_heads')})\b")


def partnerships(ctx: Ctx) -> list[Ment]:
    """'the AU-EU-UN trilateral partnership' and 'EU-AU-UN triangular cooperation' are one partnership of
    three parties, whatever their order."""
    rx = _partnership_rx(ctx.gaz)
    out = []
    for s in ctx.an.sents:
        if "-" not in s.text and "–" not in s.text:
            continue  # cheap test first: parties joined by hyphens
        for m in rx.finditer(s.text):
            parties = [_party(ctx, p) for p in re.split(r"[-–]", m.group(1))]
            if len(parties) < 2 or any(p is None for p in parties):
                continue
            iri = iris.partnership([ctx.slug_of(p) for p in parties])
            label = "-".join(sorted(_short_name(ctx, p) for p in parties)) + " partnership"
            ctx.node(iri, R2P.Partnership, label, s)
            ctx.emit(iri, SKOS.altLabel, _literal(m.group(0)), s)
            for p in parties:
                ctx.emit(iri, R2P.hasPartner, p, s)
            out.append(_mention(s, m.start(), m.end(), iri))
    return out


def _short_name(ctx: Ctx, party: URIRef) -> str:
    """A party's first acronym ('AU'), else its name: the partnership's one label, whatever the text's order."""
    e = ctx.gaz.get(party)
    acronyms = (e.info or {}).get("acronyms", "") if e is not None else ""
    return acronyms.split("|")[0].strip() or ctx.label_of(party)


def _party(ctx: Ctx, name: str) -> URIRef | None:
    found = [e for e in ctx.gaz.by_alias.get(fold(name), []) if e.kind in ("state", "org")]
    return found[0].iri if len(found) == 1 or (found and name.isupper()) else None


def _mention(s: Sent, start: int, end: int, iri: URIRef) -> Ment:
    m = Ment(s.start + start, s.start + end, MECHANISM, iri, s.text[start:end])
    s.ments.append(m)
    return m


@lru_cache(maxsize=4)
def _post_rx(_gaz: Gazetteer) -> re.Pattern:
    topic = r"(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|of|and|the|on|for|to|in))*"
    return re.compile(rf"(?:\b({_words('proposed_adjectives')})\s+)?(?:(?:UN|United\s+Nations)\s+)?"
                      rf"({_words('post_heads_cased', cased=True)})\s+(?:on|for)\s+({topic})")


def posts(ctx: Ctx) -> list[Ment]:
    """A post named with an indefinite article or as proposed ('appoint a Special Rapporteur on X', 'a proposed
    Special Adviser on Y'): the post itself, not a person's role. Who would appoint it is the body it sits under."""
    rx = _post_rx(ctx.gaz)
    intro = _rx(rf"(?:\b(?:{_words('appoint_verbs')})\w*|\b(?:{_words('proposal_nouns')}))\s+(?:an?|the)\s+$")
    proposal = _rx(rf"\b(?:{_words('propose_verbs')}|{_words('proposed_adjectives')}|should|could|would)\b")
    probe = _rx(_words("post_heads_cased", cased=True))
    out = []
    for s in _sentences_with(ctx, _key_words("post_heads_cased", lower=False)):  # a post's head word first
        if not probe.search(s.text):
            continue
        for m in rx.finditer(s.text):
            lead = intro.search(s.text[max(0, m.start() - 60):m.start()])
            if not (m.group(1) or lead):
                continue  # 'the UN Special Adviser on ..., Ms. X': a person's title
            topic = re.sub(r"(?:\s+(?:of|and|the|on|for|to|in))+$", "", m.group(3))
            label = f"{re.sub(r'[ ]+', ' ', m.group(2))} on {topic}"
            end = m.start(3) + len(topic)
            iri = iris.entity("mechanism", iris.slug_or_digest(label))
            ctx.node(iri, R2P.Post, label, s)
            clause = s.text[:m.start()]
            clause = clause[max(clause.rfind(";"), 0):]
            proposed = bool(m.group(1)) or bool(proposal.search(clause))
            if proposed:
                ctx.emit(iri, R2P.isProposed, Literal(True), s)
            _post_body(ctx, s, iri, m.start(), proposed)
            out.append(_mention(s, m.start(), end, iri))
    return out


def _post_body(ctx: Ctx, s: Sent, iri: URIRef, start: int, proposed: bool) -> None:
    """'that the Human Rights Council appoint a Special Rapporteur': the Council would appoint it."""
    before = [a for a in s.agents(0, start, labels=(ORG_LABEL, GOV_BODY)) if _usable_agent(ctx, a)]
    if not before:
        return
    a = before[-1]
    gap = s.text[a.end - s.start:start]
    if _rx(rf"^\s+(?:(?:should|could|would|to|will|shall)\s+)?(?:{_words('appoint_verbs')})\w*\s+(?:an?|the)\s+"
           r"(?:\w+\s+){0,2}$").match(gap):
        ctx.emit(iri, R2P.establishedUnder if proposed else R2P.establishedBy, a.iri, s)


@lru_cache(maxsize=1)
def _heads_alternation() -> str:
    return word_alternation(list(cues()["name_heads_cased"]))


@lru_cache(maxsize=4)
def _headed_rx(_gaz: Gazetteer) -> re.Pattern:
    word = r"(?:[A-Z][\w'’-]*|R2P)"
    heads = word_alternation(list(cues()["name_heads_cased"]))
    return re.compile(rf"(?:{word}\s+){{1,5}}({heads})\b(?:\s+(?:on|for|of)\s+(?:the\s+)?{word}(?:\s+(?:{word}|of|and|the))*)?")


_LEAD = re.compile(r"^(?:(?:The|This|That|These|An?|Its|Their|Our|In|On|At|By|For|New)\s+)+")


def headed_names(ctx: Ctx) -> list[Ment]:
    """'the Atrocity Prevention Board', 'the Kigali Compact', 'the Brahimi Report': a capitalised name ending in
    a mechanism's head word (data), when no other name the text holds covers it."""
    rx = _headed_rx(ctx.gaz)
    probe = _rx(_heads_alternation())
    out = []
    for s in _sentences_with(ctx, tuple(cues()["name_heads_cased"])):  # a head word first
        if s.block.kind in ("title", "heading") or not probe.search(s.text):
            continue
        for m in rx.finditer(s.text):
            text = re.sub(r"(?:\s+(?:of|and|the|on|for))+$", "", m.group(0))
            if m.group(0) != m.group(0)[:m.end(1) - m.start()] and re.match(r"\s+[a-z]", s.text[m.end():]):
                text = m.group(0)[:m.end(1) - m.start()]  # 'Board for the Nordic countries': the name ends at its head
            lead = _LEAD.match(text)
            start = m.start() + (lead.end() if lead else 0)
            text = text[lead.end():] if lead else text
            end = start + len(text)
            if len(text.split()) < 2 or text.isupper():
                continue
            inside = [o for o in s.ments if o.start - s.start < end and start < o.end - s.start and o.label != CRIME]
            if any(o.label != MECHANISM or not (start <= o.start - s.start and o.end - s.start <= end)
                   or (o.start - s.start, o.end - s.start) == (start, end) for o in inside):
                continue  # another name covers it, or it is the name the gazetteer knows
            for o in inside:
                s.ments.remove(o)  # 'the Andean Atrocity Prevention Board' is not the Atrocity Prevention Board
            cls = R2P[cues()["name_heads_cased"][m.group(1)]]
            iri = iris.entity("mechanism", iris.slug_or_digest(text))
            ctx.node(iri, cls, text, s)
            out.append(_mention(s, start, end, iri))
    return out


# -- history: adopted by, proposed by, under which body -----------------------------------------------------------

def history(ctx: Ctx, s: Sent, mech: Ment) -> None:
    """Who adopted or proposed a mechanism the sentence names, and under which body or at which forum."""
    ms, me = s.rel(mech)
    _adopted(ctx, s, mech, ms, me)
    _proposed(ctx, s, mech, ms, me)
    _under(ctx, s, mech, ms, me)
    _agreed(ctx, s, mech, ms)


def _adopted(ctx: Ctx, s: Sent, mech: Ment, ms: int, me: int) -> None:
    """'M, adopted by the General Assembly in 2016', 'the General Assembly adopted M', 'the adoption of M by X'."""
    after = _rx(rf"^,?\s*(?:(?:which|that)\s+)?(?:(?:was|were|has\s+been|had\s+been)\s+)?(?:(?:unanimously|formally)\s+)?"
                rf"(?:{_words('adopt_verbs')})(?:\s+(?:in|on)\s+[^,;]{{1,30}}?)?\s+by\s+(?:the\s+)?").match(s.text[me:])
    if after is None:
        after = _rx(r"^\s+by\s+(?:the\s+)?").match(s.text[me:]) if re.search(r"\badoption\s+of\s+(?:the\s+)?$",
                                                                              s.text[:ms]) else None
    if after is not None:
        for a in _agent_at(ctx, s, me + after.end()):
            ctx.emit(mech.iri, R2P.adoptedBy, a.iri, s)
        return
    before = _rx(rf"(?:{_words('adopt_verbs_active')})\s+(?:the\s+|an?\s+|its\s+|their\s+)?[\"“]?$").search(s.text[:ms])
    if before is None:
        return
    agents = [a for a in s.agents(0, before.start(), labels=AGENTS) if _usable_agent(ctx, a)]
    if agents and _rx(rf"\s*(?:(?:{_words('subject_adverbs')})\s+)*").fullmatch(
            s.text[agents[-1].end - s.start:before.start()]):
        for a in _coordinated(s, agents):
            ctx.emit(mech.iri, R2P.adoptedBy, a.iri, s)


def _coordinated(s: Sent, agents: list[Ment]) -> list[Ment]:
    """The last agent before a verb and those listed with it ('Fiji and Tonga called for ...')."""
    return _coordinated_tail(s, agents)


def _proposed(ctx: Ctx, s: Sent, mech: Ment, ms: int, me: int) -> None:
    """'Ghana proposed the creation of M', 'M, proposed by X', 'a proposed M', 'the possible appointment of a M'."""
    adjective = _rx(rf"\b(?:{_words('proposed_adjectives')})\s+(?:(?:UN|new)\s+)?$").search(s.text[max(0, ms - 30):ms])
    verb = _rx(rf"\b(?:{_words('propose_verbs')})\s+(?:that\s+)?(?:(?:the|an?)\s+)?(?:(?:{_words('proposal_nouns')})\s+"
               rf"(?:(?:the|an?)\s+)?)?(?:new\s+)?$").search(s.text[max(0, ms - 80):ms])
    after = _rx(rf"^,?\s*(?:(?:which|that)\s+)?(?:(?:was|were|had\s+been|has\s+been)\s+)?(?:first\s+)?"
                rf"(?:{_words('propose_verbs')})\s+by\s+(?:the\s+)?").match(s.text[me:])
    if not (adjective or verb or after):
        return
    ctx.emit(mech.iri, R2P.isProposed, Literal(True), s)
    if after:
        for a in _agent_at(ctx, s, me + after.end()):
            ctx.emit(mech.iri, R2P.proposedBy, a.iri, s)
    elif verb:
        at = max(0, ms - 80) + verb.start()
        agents = [a for a in s.agents(0, at, labels=AGENTS) if _usable_agent(ctx, a)]
        if agents and at - (agents[-1].end - s.start) < 40 and not re.search(r"[;,]", s.text[agents[-1].end - s.start:at]):
            for a in _coordinated(s, agents):
                ctx.emit(mech.iri, R2P.proposedBy, a.iri, s)


def proposal_before(text: str, pos: int) -> bool:
    """'Norway proposed the creation of M': a proposal, so its subject did not create M."""
    return bool(_rx(rf"\b(?:{_words('propose_verbs')})\s+(?:that\s+)?(?:the\s+|an?\s+)?$").search(text[max(0, pos - 40):pos]))


def _under(ctx: Ctx, s: Sent, mech: Ment, ms: int, me: int) -> None:
    """'under the sponsorship of the Red Cross, X created M'; 'M, signed during the opening of the General
    Assembly': the body it was made under, or the forum it was adopted at."""
    under = _rx(rf"\b(?:{_words('under_phrases')})\s+(?:the\s+)?")
    for m in under.finditer(s.text):
        if abs(m.start() - ms) < 160 and not re.search(r";", s.text[min(m.start(), ms):max(m.end(), me)]):
            for a in _agent_at(ctx, s, m.end())[:1]:
                ctx.emit(mech.iri, R2P.establishedUnder, a.iri, s)
    forum = _rx(rf"^,?\s*(?:(?:which|that)\s+)?(?:(?:was|were)\s+)?(?:{_words('forum_verbs')})\s+"
                rf"(?:(?:in|on)\s+[^,;]{{1,25}}?\s+)?(?:{_words('forum_phrases')})\s+(?:the\s+)?").match(s.text[me:])
    if forum:
        for a in _agent_at(ctx, s, me + forum.end()):
            if ctx.gaz.get(a.iri) is not None and ctx.gaz.get(a.iri).kind == "org":
                ctx.emit(mech.iri, R2P.establishedUnder, a.iri, s)


# -- situations named by a place, a region or an event ------------------------------------------------------------

@lru_cache(maxsize=4)
def _place_rx(_gaz: Gazetteer) -> re.Pattern:
    name = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}"
    return re.compile(rf"(?<![\w-])(?:{_words('place_before')})\s+(?:the\s+)?({name})"
                      rf"(?:\s+({_words('place_region_nouns')})\b)?((?:\s*,\s*|\s+and\s+)(?:the\s+)?{name})*")


def place_situations(ctx: Ctx) -> None:
    """'the twenty years since Rwanda and Srebrenica', 'crimes in the Middle East region', 'the conflict in
    Darfur': a state is that state's situation (situations.situation_of); a region the gazetteer knows is a
    situation in that region; another place is a situation of its own, tied to no state."""
    from .situations import situation_of  # here: situations.py calls this function
    rx = _place_rx(ctx.gaz)
    probe = _rx(_words("place_before"))
    capital = _rx(r"\s(?:in|since|of)\s(?:the\s)?[A-Z]")  # every cue ends in one of these words
    name = re.compile(r"(?:the\s+)?([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})")
    for s in ctx.an.sents:
        if not capital.search(s.text) or not probe.search(s.text):
            continue  # cheap tests first: a capital after 'in', 'since' or 'of', then a cue
        for m in rx.finditer(s.text):
            if m.start() > 0 and s.text[m.start()].isupper():
                continue  # 'Sexual Violence in Conflict': words of a title, not a place
            pos = m.start(1)
            while True:
                n = name.match(s.text, pos)
                if n is None:
                    break
                if not _place(ctx, s, n.start(1), n.end(1), situation_of):
                    break  # 'since the UN World Summit, R2P ...': no place, and no list of places
                nxt = re.compile(r"(?:\s*,\s*|\s+and\s+)").match(s.text, _region_end(s.text, n.end()))
                if nxt is None or nxt.end() > m.end():
                    break
                pos = nxt.end()


def _region_end(text: str, pos: int) -> int:
    after = re.compile(rf"\s+(?:{_words('place_region_nouns')})\b").match(text, pos)
    return after.end() if after else pos


def _place(ctx: Ctx, s: Sent, start: int, end: int, situation_of) -> bool:
    """The situation of one place of the list, if it is a place; False when it is not."""
    tail = s.text[_region_end(s.text, end):]
    if re.match(r"\s+of\s+[A-Z]", tail):
        return True  # 'the Sinjar region of Iraq': a place in a state, that state's situation
    if re.match(r"['’]s?\b|\.\s", tail) or re.search(r"['’]s?$", s.text[start:end]) or s.text[start:end] in _honorifics():
        return False  # 'Qatar's commitment', 'Ms. Noura': a possessor or a title, not a place of the list
    covering = [o for o in s.ments if o.start - s.start <= start and end <= o.end - s.start
                or start <= o.start - s.start < end]
    labels = {o.label for o in covering}
    if labels & {ORG_LABEL, GOV_BODY, PERSON, ROLE, MECHANISM, STATE_ADJ} or s.text[start:end].split()[0] in ("UN", "United"):
        return False  # an organization, a person or an instrument, not a place
    if STATE in labels:
        st = next(o for o in covering if o.label == STATE)
        situation_of(ctx, st.iri, s)
        return True
    place = next((o for o in covering if o.label in (REGION, CITY)), None)
    if place is not None:
        sit = iris.entity("situation", ctx.slug_of(place.iri))
        ctx.node(sit, R2P.AtrocitySituation, ctx.label_of(place.iri), s)
        ctx.emit(sit, R2P.situationIn, place.iri, s)
    else:
        text = s.text[start:end]
        if fold(text) in ctx.gaz.by_alias:
            return False  # a name the gazetteer holds as something else
        sit = iris.place_situation(text)
        ctx.node(sit, R2P.AtrocitySituation, text, s)
    if ctx.meeting:
        ctx.emit(ctx.meeting.iri, R2P.discussedSituation, sit, s)
    return True


@lru_cache(maxsize=1)
def _honorifics() -> frozenset[str]:
    return frozenset(w.rstrip(".") for w in data_lines("honorifics.txt"))


# -- quoted instruments and agreements with partners --------------------------------------------------------------

def quoted_instruments(ctx: Ctx) -> list[Ment]:
    """'A and B partnered to create a "multilateral treaty on ..."': a quoted instrument with no capital letters is
    named by its quote, and made by the states or bodies that create it."""
    heads = _rx(rf"\b(?:{_words('quoted_instrument_heads')})\b")
    rx = _rx(rf"\b(?:{_words('quoted_instrument_verbs')})\s+(?:(?:a|an|the|new)\s+)*[\"“]([^\"”]{{8,160}})[\"”]")
    out = []
    for s in _sentences_with(ctx, ('"', "“")):  # a quotation first
        for m in rx.finditer(s.text):
            name = re.sub(r"[.,;:]+$", "", m.group(1).strip())
            if not heads.search(name) or any(o.start - s.start < m.end(1) and m.start(1) < o.end - s.start
                                             for o in s.ments if o.label == MECHANISM):
                continue
            iri = iris.entity("mechanism", iris.slug_or_digest(name))
            ctx.node(iri, R2P.LegalInstrument, name, s)
            clause_start = max(s.text.rfind(";", 0, m.start()), 0)
            agents = [a for a in s.agents(clause_start, m.start(), labels=AGENTS) if _usable_agent(ctx, a)]
            if agents and m.start() - (agents[-1].end - s.start) < 60:
                for a in _coordinated(s, agents):
                    ctx.emit(iri, R2P.establishedBy, a.iri, s)
            out.append(_mention(s, m.start(1), m.start(1) + len(name), iri))
    return out


def _agreed(ctx: Ctx, s: Sent, mech: Ment, ms: int) -> None:
    """'In May 2016, A agreed with B, C and D on a "Code of conduct ..."': all of them made it."""
    gap = _rx(r"\s+on\s+(?:(?:a|an|the|its|their)\s+)?[\"“]?$").search(s.text[:ms])
    if gap is None:
        return
    verb = _rx(rf"\b(?:{_words('agreed_with_verbs')})\s+with\s+(?:the\s+)?").search(s.text[:gap.start()])
    if verb is None:
        return
    partners = _partners(ctx, s, s.text[verb.end():gap.start()])
    if not partners:
        return
    agents = [a for a in s.agents(0, verb.start(), labels=AGENTS) if _usable_agent(ctx, a)]
    if not agents or not _rx(rf"\s*(?:(?:{_words('subject_adverbs')})\s+)*").fullmatch(s.text[agents[-1].end - s.start:verb.start()]):
        return
    for a in [a.iri for a in _coordinated(s, agents)] + partners:
        ctx.emit(mech.iri, R2P.establishedBy, a, s)


def _partners(ctx: Ctx, s: Sent, text: str) -> list[URIRef]:
    """The partners listed ('Facebook, Microsoft and YouTube'): known agents, or companies and bodies the
    gazetteer does not hold, made organizations by their names. Anything else in the list refuses it."""
    out = []
    for item in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", text.strip()):
        item = re.sub(r"^the\s+", "", item)
        known = [e for e in ctx.gaz.by_alias.get(fold(item), []) if e.kind in ("state", "org")]
        if known:
            out.append(known[0].iri)
        elif re.fullmatch(r"[A-Z][\w.+&'’-]*(?:\s+[A-Z][\w.+&'’-]*){0,3}", item):
            out.append(ctx.node(iris.entity("org", iris.slug_or_digest(item)), R2P.Organization, item, s))
        else:
            return []
    return out
