"""National and organizational practice: what a state or organization did, as the text tells it.

A practice is read by pattern, never from a list of practices: an actor (a state, an organization, a government
body, "the governments of A and B", "the President of X", "the Danish government") and a verb of a kind of practice
(`gazetteers/practices.json`) with its object, in one of five shapes:

- active: "In 2005, Costa Rica created a National Commission ..." (the actor right before the verb);
- passive: "the initiative was launched in September 2010 by the governments of A and B";
- nominal: "the decision of A, B and C to refer the situation in X to the ICC";
- a chain of -ing verbs tied to the sentence's subject: "A is working ..., including by sponsoring a conference";
- a list after a lead-in: "the Focal Point of A has taken the following actions: - Appointed an adviser ...".

What it produced or concerned is what the earlier rules found there (a mechanism, a court, a state's situation), a
name the text gives (quoted or capitalised), or else a generic entity named by the noun phrase. A modal, a negation,
an intention or a condition ("will support", "has not yet appointed", "could establish", "if") makes no practice;
nor does hosting the meeting the other rules already gave a host, nor appointing an R2P Focal Point (an
appointment announcement).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib import URIRef
from rdflib.namespace import PROV

from r2pkg.graph import iris
from r2pkg.graph.vocab import SCHEMA
from ..analysis import Ment, Sent
from ..gazetteer import CITY, GOV_BODY, MECHANISM, ORG as ORG_LABEL, STATE, STATE_ADJ, data_json, fold
from ..wordlists import word_alternation
from .base import Ctx, R2P, _alt, _literal, find_date, rule
from .lists import _usable_agent
from .situations import situation_of

ACTOR_LABELS = (STATE, ORG_LABEL, GOV_BODY, STATE_ADJ)


@dataclass(frozen=True)
class Kind:
    """A kind of practice as practices.json declares it."""
    kind: str
    concept: URIRef
    produces: bool
    object_kind: str      # the graph/iris.py kind of a generic object
    needs: str            # "", "event", "mechanism" or "situation"


@dataclass
class Found:
    """A practice read from a sentence, before it is written."""
    actors: list[URIRef]
    kind: Kind
    verb: str
    obj: URIRef | None
    obj_label: str
    lo: int               # the clause the practice is told in (sentence coordinates): its date and place
    hi: int


@lru_cache(maxsize=1)
def _data() -> dict:
    return data_json("practices.json")


@lru_cache(maxsize=1)
def _verbs() -> dict[str, Kind]:
    """Each verb form (lower case, single-spaced) and the kind of practice it says."""
    out: dict[str, Kind] = {}
    for k in _data()["kinds"]:
        kind = Kind(k["kind"], R2P[k["concept"]], k["produces"], k["object"], k.get("needs", ""))
        for verb in k["verbs"]:
            out[verb] = kind
    return out


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    """The first word of every verb form, as a sentence's words may be followed by punctuation ('created,')."""
    words = {verb.split()[0] for verb in _verbs()}
    return frozenset(words | {w + p for w in words for p in ",.;:"})


def _kind_named(name: str) -> Kind:
    return next(k for k in _verbs().values() if k.kind == name)


@lru_cache(maxsize=1)
def _verb_rx() -> re.Pattern:
    return re.compile(word_alternation(_verbs(), ignore_case=True) + r"(?![\w-])")


@lru_cache(maxsize=16)
def _words_rx(name: str) -> re.Pattern:
    """A word list of practices.json as one pattern, on word boundaries, case-insensitive but for the
    blockers ('may' is a modal, 'May' a month)."""
    return re.compile(word_alternation(_data()[name], ignore_case=name != "blockers") + r"(?![\w-])")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    d = _data()
    heads = _alt(d["actor_heads"])
    return {
        # What may stand between the actor and its verb: auxiliaries, adverbs in -ly, a date.
        "gap": re.compile(r"(?:\s*,?\s*(?:has|have|had|also|already|first|jointly|both|then|\w+ly|"
                          r"(?:in|during|on)\s+(?:[A-Z][a-z]+\s+)?(?:\d{1,2}\s+)?\d{4})\s*,?)*\s*", re.I),
        # What may stand before the actor: the start of its clause, an opening phrase, 'the governments of'.
        "before": re.compile(rf"(?:^\s*(?:[-–•▪*]|\d{{1,2}}[.)])?|[,;:(]|\b(?:and|but|that|which|while|when)\b)\s*(?:[\w ]{{1,25}},\s*|(?:in|on|during|"
                             rf"since|by)\s+(?:[A-Z][a-z]+\s+)?(?:\d{{1,2}}\s+)?\d{{4}}\s+)?"
                             rf"(?:(?:the|both)\s+)?(?:(?:{heads})\s+(?:of|for)\s+(?:the\s+)?(?:(?:{heads})\s+of\s+)?)?$", re.I),
        "by": re.compile(rf"(?:\s+[\w-]+){{0,4}}?\s+by\s+(?:the\s+)?((?:{heads})\s+of\s+(?:the\s+)?)?", re.I),
        "passive_lead": re.compile(r"\s*(?:,\s*)?(?:(?:which|that)\s+)?(?:(?:was|were|is|are|has\s+been|have\s+been|"
                                   r"had\s+been)\s+)?(?:\w+ly\s+)?$", re.I),
        "clause_start": re.compile(r";|:\s|,\s+(?:and|but|while|whereas)\s|\s(?:that|which|who)\s"),
        "clause_end": re.compile(r";|,\s+(?:and|but|while|whereas|which|who)\s|,\s+\w+ing\s|\s[–—]\s|[.!?](?:\s|$)"),
        "nominal": re.compile(rf"\b(?:{_alt(d['nominal_heads'])})\s+of\s+(?:the\s+)?$", re.I),
        "chain": re.compile(rf"(?:\b(?:{_alt(d['chain_leads'])})\s+|,\s+(?:and\s+)?)$", re.I),
        "partner": re.compile(rf"\b(?:{_alt(d['partner_leads'])})\s+(?:the\s+)?", re.I),
        "list_lead": re.compile(rf"\b(?:{_alt(d['list_leads'])})\s*:?\s*$", re.I),
        "determiners": re.compile(r"^\s*(?:(?:a|an|the|its|their|his|her|new|first|newly)\s+)*", re.I),
        "np": re.compile(r"[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3}?(?=\s+(?:with|on|in|for|by|at|during|under|from|between|"
                         r"among|against|that|which|who|and|to|of)\b|\s*[,.;:)]|\s*$)"),
        "title": re.compile(r"(?:[A-Z][\w'’-]*|R2P)(?:\s+(?:(?:of|on|for|and|the|in|against|to)\s+)*(?:[A-Z][\w'’-]*|R2P|\d+))*"),
        "quoted": re.compile(r"^\s*[“\"]([^”\"]{3,200}?)[.,]?[”\"]"),
        "apposition": re.compile(rf"(?:.*\bis\s+(?:the\s+)?|^)([^,]{{3,120}}),\s+(?:a|an)\s+"
                                 rf"(?:{_alt(d['apposition_heads'])})$"),
        "quantity": re.compile(rf"\s*(?:{_alt(d['quantifiers'])})\s+", re.I),
    }


# ---------------------------------------------------------------------------------------------
# Reading

@rule(reads=("meeting", "situations"),
      writes=("situations", "r2p:actor", "r2p:concerns", "r2p:date", "r2p:discussedSituation", "r2p:practiceKind",
              "r2p:practicePartner", "r2p:practicePlace", "r2p:produced", "r2p:situationIn", "r2p:text", "rdf:type", "skos:prefLabel"))
def rule_practices(ctx: Ctx) -> None:
    """What states and organizations did: one r2p:Practice per action, every part with its sentence."""
    verbs = _verb_rx()
    first_words = _first_words()
    labels = ACTOR_LABELS + (MECHANISM,)
    for s in ctx.an.sents:
        if s.block.kind in ("title", "heading"):
            continue
        if s.text[-2:].rstrip().endswith(":") and _patterns()["list_lead"].search(s.text):
            for found in _listed(ctx, s):
                _write(ctx, found[0], found[1])
            continue
        if first_words.isdisjoint(s.text.lower().split()) or not s.mentions_any(labels):
            continue  # cheap tests first: an actor, and a word a practice verb begins with (a set lookup)
        seen: set[tuple] = set()
        for m in verbs.finditer(s.text):
            found = _read_verb(ctx, s, m)
            if found is None or (found.kind.kind == "hosted-event" and _hosts_stated(ctx, s)):
                continue
            key = (tuple(found.actors), found.kind.kind, found.obj)
            if key not in seen:
                seen.add(key)
                _write(ctx, s, found)


def _read_verb(ctx: Ctx, s: Sent, m: re.Match) -> Found | None:
    """The practice one verb says, in whichever shape the sentence gives it."""
    verb = " ".join(m.group(0).lower().split())
    kind = _verbs()[verb]
    lo, hi = _clause(s.text, m.start(), m.end())
    if _blocked(s.text, lo, m.start(), verb):
        return None
    shapes = (_nominal,) if re.search(r"\bto\s+$", s.text[:m.start()]) else \
        (_active, _passive, _nominal, _chained, _named_owner)   # after 'to': only 'the decision of A to refer'
    for shape in shapes:
        actors = shape(ctx, s, m, lo, verb)
        if actors:
            return _with_object(ctx, s, actors, kind, verb, m, lo, hi, before=shape in (_passive, _named_owner))
    return None


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around a verb: from the last clause break before it to the first after it."""
    p = _patterns()
    window = max(0, start - 250)   # an actor further back than this is not the verb's subject anyway
    lo = max((x.end() for x in p["clause_start"].finditer(text, window, start)), default=window)
    after = p["clause_end"].search(text, end)
    return lo, after.start() if after else len(text)


def _blocked(text: str, lo: int, start: int, verb: str) -> bool:
    """A modal, negation, intention or condition before the verb in its clause; an infinitive ('to create')
    unless the verb form carries its own 'to'; a determiner before it ('an established network')."""
    before = text[lo:start]
    if _words_rx("hypothetical").search(before) or _words_rx("blockers").search(before[-40:]):
        return True
    last = before.split()[-1:] if before.split() else []
    if last and last[0].lower() in ("a", "an", "the", "its", "their", "well") and not verb.endswith("ing"):
        return True
    return False


def _agents_in(s: Sent, lo: int, hi: int) -> list[Ment]:
    return [a for a in s.agents(lo, hi, labels=ACTOR_LABELS)]


def _actor_ok(ctx: Ctx, a: Ment) -> bool:
    """A mention that can act: not the Global Network or its groups; a state adjective only before 'government'."""
    if not _usable_agent(ctx, a):
        return False
    if a.label == STATE_ADJ:
        return bool(_words_rx("adjective_heads").search(a.text.split()[-1]))
    return True


def _subject_list(ctx: Ctx, s: Sent, last: Ment, lo: int) -> list[Ment]:
    """The actor right before a verb and those listed with it: 'the governments of A, B and C' -> A, B, C;
    'under the sponsorship of D, C created' -> C alone (a list has 'and' before its last item)."""
    items = [last]
    agents = [a for a in _agents_in(s, lo, s.rel(last)[0]) if a.end <= last.start]
    saw_and = False
    for prev in reversed(agents):
        gap = s.text[prev.end - s.start:items[0].start - s.start]
        if re.fullmatch(r"\s*(?:,\s*)?and\s+(?:the\s+)?", gap):
            saw_and = True
        elif not (saw_and and re.fullmatch(r"\s*,\s*(?:the\s+)?", gap)):
            break
        items.insert(0, prev)
    return [a for a in items if _actor_ok(ctx, a)]


def _before_ok(s: Sent, lo: int, first: Ment) -> bool:
    return bool(_patterns()["before"].search(s.text[lo:first.start - s.start]))


def _is_base(verb: str) -> bool:
    """A base form ('appoint', 'refer'): after a subject it wishes or suggests ('suggested that the Council
    appoint'), it does not tell what was done."""
    first = verb.split()[0]
    return not first.endswith(("ed", "ing")) and verb not in _data()["past_forms"]


def _active(ctx: Ctx, s: Sent, m: re.Match, lo: int, verb: str) -> list[Ment]:
    """'A and B created X', 'In 2005, A has also created X': the actor right before the verb."""
    if _is_base(verb):
        return []
    agents = _agents_in(s, lo, m.start())
    if not agents:
        return []
    last = agents[-1]
    if not _patterns()["gap"].fullmatch(s.text, last.end - s.start, m.start()):
        return []
    actors = _subject_list(ctx, s, last, lo)
    return actors if actors and _before_ok(s, lo, actors[0]) else []


def _passive(ctx: Ctx, s: Sent, m: re.Match, lo: int, verb: str) -> list[Ment]:
    """'X was launched in <year> by the governments of A and B', 'X, developed by the Office of ...'."""
    if verb.endswith("ing") or not re.search(r"[a-z]", s.text[lo:m.start()]):
        return []
    by = _patterns()["by"].match(s.text, m.end())
    if by is None or re.search(r"[;.]", by.group(0)):
        return []
    # 'by the Office of the Special Advisers': a head word may begin the actor's own name
    return _list_from(ctx, s, by.end()) or (_list_from(ctx, s, by.start(1)) if by.group(1) else [])


def _partners(ctx: Ctx, s: Sent, f: Found) -> list[URIRef]:
    """The agents the actors acted with ('in collaboration with C'): in the practice's clause, never an actor."""
    out: list[URIRef] = []
    for m in _patterns()["partner"].finditer(s.text, f.lo, f.hi):
        out += [a.iri for a in _list_from(ctx, s, m.end()) if a.iri not in f.actors and a.iri not in out]
    return out


def _list_from(ctx: Ctx, s: Sent, pos: int) -> list[Ment]:
    """Agents listed from a position: 'A, B and C', 'the EU and UN Alliance of Civilizations'."""
    out: list[Ment] = []
    while True:
        here = [a for a in s.ments if a.start - s.start == pos and a.label in ACTOR_LABELS]
        if not here:
            break
        a = max(here, key=lambda x: x.end)
        if _actor_ok(ctx, a):
            out.append(a)
        gap = re.match(r"(?:\s*\([^)]*\))?(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?", s.text[a.end - s.start:])
        if not gap:
            break
        pos = a.end - s.start + gap.end()
    return out


def _nominal(ctx: Ctx, s: Sent, m: re.Match, lo: int, verb: str) -> list[Ment]:
    """'the decision of A, B and C to refer ...': a base form after 'to', the actors before it."""
    before = s.text[:m.start()]
    to = re.search(r"\s+to\s+$", before)
    if not to:
        return []
    agents = [a for a in _agents_in(s, 0, to.start()) if a.end - s.start == to.start()]
    if not agents:
        return []
    actors = _subject_list(ctx, s, agents[-1], 0)
    if not actors or not _patterns()["nominal"].search(s.text[:actors[0].start - s.start]):
        return []
    return actors


def _chained(ctx: Ctx, s: Sent, m: re.Match, lo: int, verb: str) -> list[Ment]:
    """'A is working with partners ..., including by sponsoring X': an -ing verb after 'by', 'through' or in
    their list, whose subject is the sentence's subject (an actor followed by its verb)."""
    if not verb.endswith("ing") or not _patterns()["chain"].search(s.text[:m.start()]):
        return []
    if not re.search(r"\b(?:by|through)\s+\w+ing\b", s.text[:m.end()]):
        return []
    subject = _sentence_subject(ctx, s)
    if not subject or _words_rx("hypothetical").search(s.text[:m.start()]) or \
            _words_rx("blockers").search(s.text[subject[-1].end - s.start:m.start()]):
        return []
    return subject


def _sentence_subject(ctx: Ctx, s: Sent) -> list[Ment]:
    """The actor a sentence begins with, when a finite verb follows it ('The EU is implementing ...')."""
    agents = _agents_in(s, 0, len(s.text))
    if not agents:
        return []
    for i, a in enumerate(agents):
        if re.match(r"\s+(?:is|are|has|have|was|were)\s", s.text[a.end - s.start:]):
            actors = _subject_list(ctx, s, a, 0)
            return actors if actors and _before_ok(s, 0, actors[0]) else []
        if i > 3:
            break
    return []


def _named_owner(ctx: Ctx, s: Sent, m: re.Match, lo: int, verb: str) -> list[URIRef]:
    """'the new EU Strategic Approach to WPS, adopted in December 2018': no 'by', and the instrument's name
    begins with its owner ('EU', 'the EU's')."""
    if verb.endswith("ing") or not any(x.label == MECHANISM and 0 <= m.start() - (x.end - s.start) <= 40
                                       for x in s.ments):
        return []   # cheap test first: a mechanism's name ends right before the participle
    lead = _patterns()["passive_lead"].search(s.text, max(0, m.start() - 40), m.start())
    end = lead.start() if lead else m.start()
    mech = next((x for x in s.ments if x.label == MECHANISM and x.end - s.start == end), None)
    if mech is None or _patterns()["by"].match(s.text, m.end()):
        return []
    first = mech.text.split()[0]
    owners = [e for e in ctx.gaz.by_alias.get(fold(first), []) if e.kind in ("org", "state")]
    if not owners and re.search(r"['’]s\s+$", s.text[:mech.start - s.start]):
        owners = [ctx.gaz.get(a.iri) for a in s.agents(0, mech.start - s.start, labels=(ORG_LABEL, STATE))
                  if a.end - s.start + 3 >= mech.start - s.start and ctx.gaz.get(a.iri) is not None]
    return [e.iri for e in owners[:1]]


def _listed(ctx: Ctx, lead: Sent) -> list[tuple[Sent, Found]]:
    """The items after 'the Focal Point of A has taken the following actions:' that begin with a practice verb."""
    agents = [a for a in _agents_in(lead, 0, len(lead.text)) if _actor_ok(ctx, a)]
    if not agents:
        return []
    actor = agents[-1]
    if len(agents) > 1 and agents[-2].label == GOV_BODY and re.fullmatch(
            r"\s+of\s+(?:the\s+)?", lead.text[agents[-2].end - lead.start:actor.start - lead.start]):
        actor = agents[-2]   # 'the Ministry of Foreign Affairs of Norway': the ministry acts
    out = []
    blocks = ctx.an.blocks
    for block in blocks[lead.block.idx + 1:]:
        if block.kind != "item":
            break
        for s in (x for x in ctx.an.sents if x.block is block):
            text = s.text
            body = re.match(r"^\W*", text).end()
            for m in _verb_rx().finditer(text):
                if m.start() != body and not re.search(r"\band\s+$", text[:m.start()]):
                    continue
                verb = " ".join(m.group(0).lower().split())
                if verb.endswith("ing"):
                    continue
                lo, hi = _clause(text, m.start(), m.end())
                found = _with_object(ctx, s, [actor], _verbs()[verb], verb, m, m.start(), hi)
                if found is not None:
                    out.append((s, found))
    return out


# ---------------------------------------------------------------------------------------------
# The object

def _with_object(ctx: Ctx, s: Sent, actors: list, kind: Kind, verb: str, m: re.Match, lo: int, hi: int,
                 before: bool = False) -> Found | None:
    """The practice with what it produced or concerned (told before the verb when it is a participle: 'X,
    adopted in ...', 'X created by A'); None when a participle has nothing before it, when its kind needs an
    object the clause lacks, or when it is the appointment of an R2P Focal Point."""
    iris_ = list(dict.fromkeys(a.iri if isinstance(a, Ment) else a for a in actors))
    if before:
        found = _object_before(ctx, s, kind, m, lo, iris_)
        if found is None:
            return None
        obj, label = found
    else:
        obj, label = _object_after(ctx, s, kind, m.end(), hi, iris_)
    if kind.kind == "appointed-official" and _words_rx("focal_point_words").search(label or s.text[m.end():hi]):
        return None
    if kind.needs and obj is None:
        return None
    kind = _by_object(kind, label)
    return Found(iris_, kind, verb, obj, label, lo, hi)


def _by_object(kind: Kind, label: str) -> Kind:
    """'initiated an exercise to map ...' is a review: the object's head noun decides for verbs that say little."""
    if kind.kind not in _data()["overridable"] or not label:
        return kind
    head = re.split(r"\s+(?:for|of|on|to|in|with)\s+", label.lower())[0].split()
    override = _data()["object_kinds"].get(head[-1]) if head else None
    return _kind_named(override) if override else kind


def _object_after(ctx: Ctx, s: Sent, kind: Kind, start: int, hi: int, actors: list[URIRef]) -> tuple[URIRef | None, str]:
    """What follows the verb: a situation, a mechanism or court, a quoted or capitalised name, an event, a noun phrase."""
    if kind.needs == "situation":
        state = next((a for a in s.agents(start, hi, labels=(STATE,)) if a.iri not in actors), None)
        if state is None:
            return None, ""
        return situation_of(ctx, state.iri, s), f"the situation in {ctx.label_of(state.iri)}"
    near = start + 90 if kind.kind in ("signed-agreement", "support") or kind.needs else start + 30
    for x in s.ments:
        if start <= x.start - s.start < min(near, hi) and _is_object(ctx, x, kind):
            return x.iri, ctx.label_of(x.iri)
    if kind.needs == "mechanism":
        return None, ""
    rest = s.text[start:hi]
    quantity = _patterns()["quantity"].match(rest)
    if quantity:
        rest = rest[quantity.end() - 1:]
    det = _patterns()["determiners"].match(rest)
    body = rest[det.end():]
    quoted = _patterns()["quoted"].match(rest[det.end():]) or _patterns()["quoted"].match(rest)
    if quoted:
        name = quoted.group(1).strip()
        return _named(ctx, s, kind, name), name
    if kind.needs == "event":
        return _event(ctx, s, kind, rest, actors)
    title = _patterns()["title"].match(body)
    if title and len(title.group(0).split()) >= 2 and not body.startswith(("R2P ", "UN ")):
        return _named(ctx, s, kind, title.group(0)), title.group(0)
    np = _patterns()["np"].match(body) if body[:1].islower() or body.startswith(("R2P ", "UN ")) else None
    if np is None:
        np = _patterns()["np"].match(body, len(body.split()[0]) + 1) if body.startswith(("R2P ", "UN ")) else None
    if np is None:
        return None, ""
    phrase = body[:np.end()].strip()
    tail = re.match(r"\s+to\s+[a-z]+(?:\s+(?:the\s+)?[a-z]+){0,3}", body[np.end():])
    if tail and kind.kind in ("launched-initiative", "review"):
        phrase += tail.group(0)
    return _generic(ctx, s, kind, phrase, actors), phrase


def _is_object(ctx: Ctx, x: Ment, kind: Kind) -> bool:
    if x.label == MECHANISM:
        return True
    e = ctx.gaz.get(x.iri)
    return x.label == ORG_LABEL and e is not None and bool(ctx.cue("court_heads").search(e.pref)) and \
        kind.kind in ("support", "funding")


def _object_before(ctx: Ctx, s: Sent, kind: Kind, m: re.Match, lo: int, actors: list[URIRef]) -> tuple[URIRef | None, str] | None:
    """What a participle is said of: the mechanism, name or noun phrase right before it ('X, adopted in ...',
    'the Symposium on Y hosted by', 'a position created by')."""
    lead = _patterns()["passive_lead"].search(s.text, lo, m.start())
    end = lead.start() if lead else m.start()
    if end <= lo:
        return None
    for x in s.ments:
        # 'the Commission of Inquiry on Burundi established by': a mechanism, and the state it is for
        if x.label == MECHANISM and lo <= x.start - s.start and (x.end - s.start == end or re.fullmatch(
                r"\s+(?:on|for|in)\s+(?:the\s+)?[A-Z][\w'’ -]{1,40}", s.text[x.end - s.start:end])):
            return x.iri, ctx.label_of(x.iri)
    before = s.text[lo:end]
    words = before.split()
    if not words:
        return None
    run = re.search(r"(?:[A-Z][\w'’-]*|R2P)(?:\s+(?:(?:of|on|for|and|the|in|against|to)\s+)*(?:[A-Z][\w'’-]*|R2P|\d+))*$", before)
    if run and len(run.group(0).split()) >= 2 and not any(a.start - s.start >= lo + run.start() for a in
                                                         s.agents(lo, end, labels=ACTOR_LABELS)):
        return _named(ctx, s, kind, run.group(0)), run.group(0)
    apposition = _patterns()["apposition"].search(before)
    if apposition:
        return _generic(ctx, s, kind, apposition.group(1).strip(), actors), apposition.group(1).strip()
    np = re.search(r"\b(?:a|an|the)\s+([a-z][\w-]*(?:\s+[a-z][\w-]*){0,3})$", before)
    if np:
        return _generic(ctx, s, kind, np.group(1), actors), np.group(1)
    return None


def _event(ctx: Ctx, s: Sent, kind: Kind, rest: str, actors: list[URIRef]) -> tuple[URIRef | None, str]:
    """The event a hosting verb is about: a capitalised name ('the Symposium on ...') or a noun phrase ('an R2P
    conference'), within the clause."""
    noun = _words_rx("event_nouns").search(rest[:110])
    if noun is None:
        return None, ""
    first = noun
    while (more := _words_rx("event_nouns").match(rest, noun.end() + 1)) and rest[noun.end()] == " ":
        noun = more   # 'a training workshop': the last noun of the run is the head
    start = max(rest.rfind(" a ", 0, noun.start()), rest.rfind(" an ", 0, noun.start()), rest.rfind(" the ", 0, noun.start()),
                rest.rfind(" to ", 0, noun.start()), -1)
    phrase = rest[start + 1:noun.end()] if start >= 0 else rest[:noun.end()]   # from the determiner
    phrase = _patterns()["determiners"].sub("", re.sub(r"^to\s+", "", phrase.strip())).strip()
    title = _patterns()["title"].match(rest, first.start())
    if rest[first.start()].isupper() and title and len(title.group(0).split()) >= 2:
        return _named(ctx, s, kind, title.group(0)), title.group(0)
    return _generic(ctx, s, kind, phrase, actors), phrase


def _named(ctx: Ctx, s: Sent, kind: Kind, name: str) -> URIRef:
    """A thing the text names that no rule found: its IRI from its name (as the mechanism rules mint names)."""
    name = name.strip(" .,")
    iri = iris.entity(kind.object_kind, iris.slug_or_digest(name))
    known = ctx.gaz.get(iri)
    if known is None and iri not in ctx.minted and iri not in ctx.an.entities:
        ctx.node(iri, SCHEMA.Event if kind.object_kind == "meeting" else PROV.Entity, name, s)
    return iri


def _generic(ctx: Ctx, s: Sent, kind: Kind, phrase: str, actors: list[URIRef]) -> URIRef:
    """A thing the text does not name ('an academic adviser'): an entity of this actor, named by the phrase."""
    owner = ctx.slug_of(actors[0])
    iri = iris.entity(kind.object_kind, iris.slug_or_digest(f"{owner} {phrase}"))
    if iri not in ctx.minted:
        ctx.node(iri, SCHEMA.Event if kind.object_kind == "meeting" else PROV.Entity,
                 f"{phrase} ({ctx.label_of(actors[0])})", s)
    return iri


# ---------------------------------------------------------------------------------------------
# Writing

def _hosts_stated(ctx: Ctx, s: Sent) -> bool:
    """Whether the other rules read a host of a meeting from this sentence (hosting the network's meeting is
    r2p:hostedBy, not a practice)."""
    span = ctx.span(s)
    return any(f.predicate in (R2P.hostedBy, R2P.announcedHostOf) and f.evidence == span for f in ctx.facts)


def _write(ctx: Ctx, s: Sent, f: Found) -> None:
    """The practice node and its parts, each with the sentence as evidence."""
    slugs = [ctx.slug_of(a) for a in f.actors]
    key = str(f.obj) if f.obj is not None else " ".join(s.text.split())
    practice = iris.practice(ctx.slug, slugs, f.kind.kind, key)
    labels = [ctx.label_of(a) for a in f.actors]
    names = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
    ctx.node(practice, R2P.Practice, f"{names}: {f.verb} {f.obj_label}".strip(), s)
    for a in f.actors:
        ctx.emit(practice, R2P.actor, a, s)
    for partner in _partners(ctx, s, f):
        ctx.emit(practice, R2P.practicePartner, partner, s)
    ctx.emit(practice, R2P.practiceKind, f.kind.concept, s)
    if f.obj is not None:
        ctx.emit(practice, R2P.produced if f.kind.produces else R2P.concerns, f.obj, s)
    clause = s.text[f.lo:f.hi]
    when = find_date(ctx.gaz, clause, None)
    if when is not None:
        ctx.emit(practice, R2P.date, when.start, s)
    city = next((x for x in s.ments if x.label == CITY and f.lo <= x.start - s.start < f.hi), None)
    if city is not None:
        ctx.emit(practice, R2P.practicePlace, city.iri, s)
    ctx.emit(practice, R2P.text, _literal(" ".join(s.text.split())), s)
