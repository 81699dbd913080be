"""Facts in time: what each document says of a focal point post at its date (a dated description, so
that a post described in two summaries has two descriptions, not a pile of titles and years on one
node), appointment statuses ('has not yet appointed'), and since when a group membership holds."""
from __future__ import annotations

import re
from functools import lru_cache
from rdflib import Literal, URIRef
from r2pkg.graph import iris
from ..analysis import Sent
from ..gazetteer import ORG as ORG_LABEL, STATE, Gazetteer
from ..wordlists import plain_words, word_alternation
from .base import Ctx, ORG, R2P, rule
from .document_date import _date_line
from .lists import _usable_agent
from .mechanisms import _dates_in
from .time_words import forms, words_rx


def document_date(ctx: Ctx) -> Literal | None:
    """The date a document states its facts at: its meeting's first day, else its date line, else its year."""
    if ctx.meeting is not None and ctx.start_date is not None:
        return ctx.start_date
    return _date_line(ctx) or ctx.year_lit(ctx.year)


def stated_times(ctx: Ctx, text: str) -> tuple[Literal | None, Literal | None]:
    """(since, as of) the dates a text gives after 'since'/'from' and 'as of'; in a sentence that says an
    appointment was made, the date it was made ('In March 2016 X appointed ...') is since when."""
    since = as_of = None
    since_rx, as_of_rx = words_rx("since_words"), words_rx("as_of_words")
    appointed = words_rx("appointed_words").search(text)
    for pos, _end, value in _dates_in(ctx, text):
        before = text[max(0, pos - 30):pos]
        if as_of is None and re.search(rf"(?:{as_of_rx.pattern})\s+(?:the\s+)?$", before):
            as_of = value
        elif since is None and re.search(rf"(?:{since_rx.pattern})\s+(?:the\s+)?$", before):
            since = value
        elif since is None and appointed and (re.match(r"(?:in|on)\b", text[pos:], re.I)
                                              or re.search(r"\b(?:in|on)\s+$", before, re.I)):
            since = value
    return since, as_of


_FOCAL = re.compile(r"\s+(?:an?\s+|its\s+|their\s+|the\s+)?(?:(?:national|regional)\s+)?(?:R2P\s+)?Focal\s+Points?\b", re.I)


@rule(reads=("issued", "meeting", "start_date", "year"),
      writes=("r2p:appointmentStatus", "r2p:asOf", "r2p:describesAgent", "r2p:describesPost", "r2p:since",
             "r2p:statedBody", "r2p:statedHolder", "r2p:statedTitle", "rdf:type", "skos:prefLabel"))
def rule_post_descriptions(ctx: Ctx) -> None:
    """Each focal point post the document speaks of gets the document's dated description of it, with the
    title, body and holder the document gives and the evidence of each; 'X has not yet appointed a focal
    point' and 'X is in the process of appointing one' are descriptions with that status and no post."""
    posts = [iri for iri, (cls, _label) in ctx.minted.items() if cls == R2P.FocalPointPost]
    if posts:
        _describe_posts(ctx, set(posts))
    _statuses(ctx)


def _where(ctx: Ctx) -> dict:
    """The evidence of each fact, as the (start, end) of the cleaned text the rules gave (ctx.emit's `where`)."""
    return {span: key for key, span in ctx._spans.items()}


def _describe_posts(ctx: Ctx, posts: set[URIRef]) -> None:
    keys = _where(ctx)
    agents: dict[URIRef, list] = {}
    stated: dict[URIRef, list] = {}
    carried = {R2P.positionTitle: R2P.statedTitle, R2P.withinBody: R2P.statedBody, ORG.heldBy: R2P.statedHolder}
    for f in ctx.facts:
        if f.predicate == R2P.hasFocalPoint and f.object in posts:
            agents.setdefault(f.object, []).append((f.subject, keys[f.evidence]))
        elif f.subject in posts and f.predicate in carried:
            stated.setdefault(f.subject, []).append((carried[f.predicate], f.object, keys[f.evidence]))
    date = document_date(ctx)
    for post, found in agents.items():
        agent, where = found[0]
        since, as_of = stated_times(ctx, _text_of(ctx, where))      # read once: dates are the costly part
        if date is None and as_of is None:
            continue                    # a description is dated: with no date known, the post alone is stated
        desc = _description(ctx, agent, where, date, ctx.slug_of(post), own_date=as_of is not None)
        ctx.emit(desc, R2P.describesPost, post, where)
        ctx.emit(desc, R2P.appointmentStatus, R2P.StatusAppointed, where)
        for p, o, at in stated.get(post, ()):
            ctx.emit(desc, p, o, at)
        if since is not None:
            ctx.emit(desc, R2P.since, since, where)
        if as_of is not None:
            ctx.emit(desc, R2P.asOf, as_of, where, limit=1)


def _description(ctx: Ctx, agent: URIRef, where, date: Literal | None, post_slug: str, *, own_date: bool) -> URIRef:
    """The document's description of a post; dated by the document unless the sentence gives its own date
    ('As of 1 May 2023, ...'), which the caller writes."""
    desc = iris.entity("post-description", f"{post_slug}-{ctx.slug}")
    when = f" ({str(date)[:10]})" if date is not None else ""
    ctx.node(desc, R2P.PostDescription, f"R2P Focal Point of {ctx.label_of(agent)}{when}", where)
    ctx.emit(desc, R2P.describesAgent, agent, where)
    if date is not None and not own_date:
        ctx.emit(desc, R2P.asOf, date, where, limit=1)
    return desc


def _text_of(ctx: Ctx, where) -> str:
    return where.text if isinstance(where, Sent) else ctx.an.text[where[0]:where[1]]


@lru_cache(maxsize=4)
def _status_rxs(gaz: Gazetteer) -> tuple[re.Pattern, re.Pattern, list[tuple[URIRef, re.Pattern]]]:
    """A probe for any status form in a text; the same forms anywhere, even inside a word (no look behind: a
    form in a sentence is then one in the whole text, so a text without any has no sentence to read: see
    _status_words); and one pattern per status."""
    by_status = forms()["status_forms"]
    every = [w for ws in by_status.values() for w in ws]
    probe = re.compile(word_alternation(every, ignore_case=True))
    anywhere = re.compile(word_alternation(every, ignore_case=True, not_after=None))
    statuses = {"not_yet_appointed": R2P.StatusNotYetAppointed, "being_appointed": R2P.StatusBeingAppointed}
    return probe, anywhere, [(statuses[k], re.compile(word_alternation(ws, ignore_case=True) + r"(?![\w-])"))
                             for k, ws in by_status.items()]


@lru_cache(maxsize=1)
def _status_words() -> tuple[str, ...] | None:
    """The status forms as plain words: `Ctx.anywhere` tests them with `in` (a regex pass over the text cost nearly
    a millisecond a summary; the forms start with common letters)."""
    return plain_words(w for ws in forms()["status_forms"].values() for w in ws)


def _statuses(ctx: Ctx) -> None:
    probe, anywhere, patterns = _status_rxs(ctx.gaz)
    date = document_date(ctx)
    if not ctx.anywhere(_status_words(), anywhere):
        return  # one search of the text, not one per sentence: most documents state no status
    for s in ctx.an.sents:
        if not s.mentions_any((STATE, ORG_LABEL)) or not probe.search(s.text):
            continue
        for status, rx in patterns:
            for m in rx.finditer(s.text):
                if not _FOCAL.match(s.text, m.end()):
                    continue
                agent = _subject_before(ctx, s, m.start())
                if agent is None:
                    continue
                as_of = stated_times(ctx, s.text)[1]
                if date is None and as_of is None:
                    continue        # a status is stated at a date: with none known, it is not read
                desc = _description(ctx, agent, s, date, f"focal-point-{ctx.slug_of(agent)}",
                                    own_date=as_of is not None)
                if as_of is not None:
                    ctx.emit(desc, R2P.asOf, as_of, s, limit=1)
                ctx.emit(desc, R2P.appointmentStatus, status, s)


def _subject_before(ctx: Ctx, s: Sent, pos: int) -> URIRef | None:
    """The state or organization closest before the verb in its clause: the one said not to have appointed."""
    clause = max(s.text.rfind(c, 0, pos) for c in ";:")
    found = [a for a in s.agents(clause + 1, pos, labels=(STATE, ORG_LABEL)) if _usable_agent(ctx, a)]
    if not found or pos - (found[-1].end - s.start) > 60:
        return None
    return ctx.an.body_state.get(found[-1].iri, found[-1].iri)
