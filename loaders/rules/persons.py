"""Persons and their roles: who held which title, for which state or organization, when."""
from __future__ import annotations

import re
from functools import lru_cache
from rdflib import Literal, URIRef
from r2pkg.graph import iris
from ..analysis import Ment, Sent, person_forms
from ..gazetteer import GOV_BODY, ORG as ORG_LABEL, PERSON, ROLE, STATE, Gazetteer
from .base import Ctx, NETWORK, ORG, R2P, RDF, SKOS, _alt, _literal, english, rule
from .focal_points import focal_post
from .lists import _usable_agent


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
        if any(o.label == ROLE and o.start >= p.hon_start and o.end <= p.start for o in s.ments):
            out.append((p.hon_start - s.start, ps))
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
        if a.start - s.start == hi + m.end() and re.match(rf"\s*(?:[,;.:(]|$|\s(?:who|which|and|{_alt(person_forms()['attribution_verbs'])})\b)",
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


@rule(reads=("meeting", "series", "year"),
      writes=("org:heldBy", "r2p:affiliatedWith", "r2p:atMeeting", "r2p:hasFocalPoint",
             "r2p:hasParticipant", "r2p:holder", "r2p:positionTitle", "r2p:role", "r2p:roleIn", "r2p:statedTitle",
             "r2p:withinBody", "r2p:year", "rdf:type", "skos:broader", "skos:prefLabel"))
def rule_persons(ctx: Ctx) -> None:
    gaz = ctx.gaz
    speaking = ctx.cue("speaking")
    roles = sorted(((a, r) for r in gaz.roles() for a in [r.pref, *r.aliases]), key=lambda x: -len(x[0]))
    meeting = ctx.meeting.iri if ctx.meeting else None
    for s in ctx.an.sents:
        persons = [m for m in s.ments if m.label == PERSON]
        if not persons or _states_no_fact(s):
            continue
        for p in persons:
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
        "not_role": lambda: re.compile(rf"(?:(?:{_alt(forms['organization_prefixes'])})\s+)?(?:{_alt(forms['not_role_heads'])})\b"),
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
    written = s.text[lo:hi].strip()   # the title as written, "former" and its organization kept
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
    ra = _assignment(ctx, s, p, role_iri, role_label, org, ctx.year_lit(ctx.year))
    ctx.emit(ra, R2P.statedTitle, _literal(written + _title_tail(s, p, lo, hi)), s)
    if minted_org is not None and aff is None and body is None:
        ctx.emit(p.iri, R2P.affiliatedWith, minted_org, s)
    if aff is not None:
        target = ctx.an.body_state.get(aff.iri, aff.iri)
        ctx.emit(p.iri, R2P.affiliatedWith, target, s)
        if spoke and not former and ctx.meeting and ctx.gaz.get(target) and ctx.gaz.get(target).kind == "state":
            ctx.emit(ctx.meeting.iri, R2P.hasParticipant, target, s)
    elif body is not None:
        ctx.emit(p.iri, R2P.affiliatedWith, body.iri, s)


def _title_tail(s: Sent, p: Ment, lo: int, hi: int) -> str:
    """The rest of a title written after the person's name that the role phrase stopped short of, because it
    names another person ('Adviser ... to Ambassador Jane Roe'): up to the clause's next comma, so that the
    title is kept whole."""
    if p.end - s.start > lo:
        return ""   # a title before the name: what follows it is the name itself
    rest = re.match(r"[^,;:.()–—]{1,80}?(?=\s*(?:[,;:()–—]|\.\s|\.?$))", s.text[hi:])
    if rest is None or not rest.group(0).startswith(" ") or len(rest.group(0).split()) > 8:
        return ""
    return rest.group(0).rstrip()


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
            ctx.emit(role, SKOS.prefLabel, english(ctx.gaz.get(role).pref), s, limit=1)
        ctx.emit(former, SKOS.broader, role, s, limit=1)
    return former, f"former {label}"


def _assignment(ctx: Ctx, s: Sent, p: Ment, role: URIRef, role_label: str, org: URIRef | None,
                year: Literal | None) -> URIRef:
    if role not in ctx.minted and ctx.gaz.get(role) is None:
        ctx.node(role, R2P.Role, role_label, s)
    elif ctx.gaz.get(role) is not None:
        ctx.emit(role, RDF.type, R2P.Role, s, limit=1)
        ctx.emit(role, SKOS.prefLabel, english(ctx.gaz.get(role).pref), s, limit=1)
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
    return ra
