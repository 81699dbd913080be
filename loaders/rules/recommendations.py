"""What a meeting recommended, suggested, learned or found in its way: from numbered and bulleted lists,
from prose ('Suggestions included ...', 'States were urged to ...') and from counted enumerations
('discussed three specific measures ... First, ... Second, ...'). Each item is an r2p:Recommendation with
its text, its kind (gazetteers/recommendations.json) and links to what its own text names.

An item's IRI is its meeting and a digest of its own text, never its place in the document: a list added
above another does not renumber it (r2p:number keeps the number the text gives)."""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from rdflib import URIRef
from r2pkg.graph import iris
from ..analysis import Block, Sent
from ..gazetteer import CRIME, GOV_BODY, MECHANISM, ORG as ORG_LABEL, STATE, data_json
from .base import Ctx, R2P, XSD, _literal, rule
from .lists import _usable_agent
from .meetings import meeting_label
from .situations import pillars_in


@dataclass(frozen=True)
class Item:
    """One recommendation (or suggested action, lesson, obstacle) found in the text."""
    start: int          # its own text, in the cleaned text
    end: int
    kind: str           # a key of recommendations.json "kinds"
    number: int | None  # the number the text gives it (or its place in a bulleted list)


@lru_cache(maxsize=1)
def recommendation_data() -> dict:
    """The cue lists of gazetteers/recommendations.json."""
    return data_json("recommendations.json")


def _by_kind(patterns: dict[str, list[str]]) -> re.Pattern:
    """One pattern whose named group tells the kind: the leftmost cue wins, as a reader reads."""
    space = r"\s+"
    groups = [f"(?P<k{i}>{'|'.join(p.replace(' ', space) for p in pats)})"
              for i, pats in enumerate(patterns.values())]
    return re.compile(r"(?<![\w-])(?:" + "|".join(groups) + ")", re.I)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, tuple[re.Pattern, list[str]]]:
    data = recommendation_data()
    out = {name: (_by_kind(data[name]), list(data[name])) for name in ("list_lead", "heading_lead", "prose")}
    nouns = data["enumeration_nouns"]
    counts = "|".join([*data["enumeration_counts"], r"\d"])
    noun_groups = "|".join(f"(?P<k{i}>{'|'.join(ws)})" for i, ws in enumerate(nouns.values()))
    out["enumeration"] = (re.compile(
        rf"(?<![\w-])(?P<count>{counts})\s+(?:[\w-]+\s+)?[\"“‘']?(?:[\w-]+\s+)?(?:{noun_groups})\b", re.I), list(nouns))
    return out


@lru_cache(maxsize=1)
def _subordinate() -> re.Pattern:
    """A subordinate clause at the start of a list's introduction, up to its comma."""
    return re.compile(rf"^(?:{'|'.join(recommendation_data()['subordinate_lead'])})\b[^,]*,\s*", re.I)


@lru_cache(maxsize=1)
def _probe_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Substrings every prose cue holds one of, and the nouns of counted enumerations."""
    data = recommendation_data()
    nouns = tuple(w.lower() for ws in data["enumeration_nouns"].values() for w in ws)
    return tuple(w.lower() for w in data["prose_probe"]), nouns


def _sentences_with(ctx: Ctx, words: tuple[str, ...], low: str) -> set[int]:
    """The indices of the sentences that hold one of the words (str.find over the lower-cased text: far
    cheaper than a pattern tried at every position); after a hit, the search goes on after its sentence."""
    sents = ctx.an.sents
    starts = [s.start for s in sents]
    out: set[int] = set()
    for word in words:
        at = low.find(word)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            if i >= 0 and at < sents[i].end:
                out.add(i)
                at = low.find(word, sents[i].end)
            else:
                at = low.find(word, at + 1)
    return out


@lru_cache(maxsize=1)
def _ordinal_start() -> re.Pattern:
    words = "|".join(recommendation_data()["enumeration_starts"])
    return re.compile(rf"(?:{words})\b\s*,?", re.I)


def _kind_in(name: str, text: str) -> str | None:
    found = _cue_in(name, text)
    return found[0] if found else None


def _cue_in(name: str, text: str) -> tuple[str, int] | None:
    """The kind the leftmost cue of a cue list (list_lead, heading_lead, prose) gives the text, and where
    the cue is."""
    rx, kinds = _patterns()[name]
    m = rx.search(text)
    if not m:
        return None
    return next(kinds[int(g[1:])] for g, v in m.groupdict().items() if v is not None), m.start()


_INNER_STOP = re.compile(r"(?P<word>[\w.]*)[.!?][”\"]?\s+(?=[A-Z])")


# ------------------------------------------------------------------------------------------
# Finding the items
# ------------------------------------------------------------------------------------------

def _lists(ctx: Ctx) -> list[list[Block]]:
    """Runs of list items with nothing between them; a numbered item 1 after a numbered one starts a new list."""
    runs: list[list[Block]] = []
    for b in ctx.an.blocks:
        if b.kind != "item":
            continue
        last = runs[-1][-1] if runs else None
        if last is not None and b.idx == last.idx + 1 and not (b.number == 1 and last.number is not None):
            runs[-1].append(b)
        else:
            runs.append([b])
    return runs


def _last_sentence(text: str) -> str:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", text.strip())
    return parts[-1] if parts else ""


def _list_kind(ctx: Ctx, items: list[Block]) -> str | None:
    """The kind its introduction gives a list: the sentence before it that ends with a colon, else the
    heading right above it; a list introduced by neither ('Specific functions include:') is not read."""
    blocks = ctx.an.blocks
    before = blocks[items[0].idx - 1] if items[0].idx > 0 else None
    if before is not None and before.kind == "para":
        lead = _subordinate().sub("", _last_sentence(before.text))  # 'While X are challenges, FPs can ...:'
        if lead.rstrip().endswith(":"):
            kind = _kind_in("list_lead", lead)
            if kind:
                return kind
    heading = before if before is not None and before.kind in ("heading", "subheading") else None
    if heading is None and before is not None and before.kind == "para" and items[0].section is not None \
            and before.idx - 1 == items[0].section:
        heading = blocks[items[0].section]  # 'KEY RECOMMENDATIONS', one paragraph, then the list
    return _kind_in("heading_lead", heading.text) if heading is not None else None


def list_items(ctx: Ctx) -> list[Item]:
    out = []
    for items in _lists(ctx):
        kind = _list_kind(ctx, items)
        if kind is None:
            continue
        for place, b in enumerate(items, 1):
            if ctx.an.text[b.body_start:b.end].strip():
                out.append(Item(b.body_start, b.end, kind, b.number if b.number is not None else place))
    return out


def _not_prose(s: Sent) -> bool:
    """A list item, heading or title: read as lists and headings, not as sentences of prose."""
    return s.block is not None and s.block.kind in ("item", "heading", "subheading", "title")


def prose_items(ctx: Ctx) -> list[Item]:
    """Sentences that recommend, suggest, teach or report an obstacle; a counted enumeration gives its items."""
    out: list[Item] = []
    taken: set[int] = set()
    sents = ctx.an.sents
    enum_rx, enum_kinds = _patterns()["enumeration"]
    low = ctx.an.text.lower()
    cues, nouns = _probe_words()
    with_cue, with_noun = _sentences_with(ctx, cues, low), _sentences_with(ctx, nouns, low)
    for i in sorted(with_cue | with_noun):
        s = sents[i]
        if i in taken or _not_prose(s) or s.text.endswith(":"):
            continue
        counted = enum_rx.search(s.text) if i in with_noun else None
        if counted:
            kind = next(enum_kinds[int(g[1:])] for g, v in counted.groupdict().items() if v and g.startswith("k"))
            found = _enumerated(ctx, i, counted, kind, taken)
            if found:
                out += found
                continue
        if i not in with_cue:
            continue
        found = _cue_in("prose", s.text)
        if found:
            lo, hi = _own_sentence(s.text, found[1])
            out.append(Item(s.start + lo, s.start + hi, found[0], None))
    return out


@lru_cache(maxsize=1)
def _not_a_stop() -> re.Pattern:
    words = "|".join(re.escape(w) for w in recommendation_data()["not_sentence_ends"])
    return re.compile(rf"(?:[A-Z]|[A-Z]\.[A-Z]|{words})")


def _own_sentence(text: str, at: int) -> tuple[int, int]:
    """The span of the sentence, within a piece the sentencizer left whole ('... R2P. Participants also
    pointed to the need ...'), that holds the cue at `at`."""
    lo, hi = 0, len(text)
    for stop in _INNER_STOP.finditer(text):
        if _not_a_stop().fullmatch(stop.group("word") or ""):
            continue  # an honorific or an initial: 'Dr. Adams', 'H. E. Mr. Vial'
        if stop.start() <= at:
            lo = stop.end()
        else:
            hi = stop.end("word") + 1
            break
    return lo, hi


def _count(word: str) -> int:
    return int(word) if word.isdigit() else recommendation_data()["enumeration_counts"][word.lower()]


def _enumerated(ctx: Ctx, i: int, counted: re.Match, kind: str, taken: set[int]) -> list[Item]:
    """The items a counted enumeration announces: '1) ... and 2) ...' in the sentence, or the sentences of
    its paragraph that begin with an ordinal word ('First, ...', 'Finally, ...'). None unless the count agrees."""
    s = ctx.an.sents[i]
    want = _count(counted.group("count"))
    rest = s.text[counted.end():]
    marks = list(re.finditer(r"(?:(?<=\s)|(?<=[–—:-]))\(?(\d)\)\s+", rest))
    if len(marks) == want and [int(m.group(1)) for m in marks] == list(range(1, want + 1)):
        out = []
        for n, m in enumerate(marks):
            lo = s.start + counted.end() + m.end()
            hi = s.start + counted.end() + (marks[n + 1].start() if n + 1 < len(marks) else len(rest))
            body = ctx.an.text[lo:hi]
            body = re.sub(r"(?:\s*(?:,|;|\band\b|\bor\b))*\s*[.;]?\s*$", "", body)
            out.append(Item(lo, lo + len(body), kind, n + 1))
        return out
    starts = []
    for j in range(i + 1, len(ctx.an.sents)):
        t = ctx.an.sents[j]
        if t.block is not s.block:
            break
        if _ordinal_start().match(t.text):
            starts.append(j)
    if len(starts) != want or starts[0] != i + 1:
        return []
    out = []
    for n, j in enumerate(starts):
        last = (starts[n + 1] if n + 1 < len(starts) else _paragraph_end(ctx, j)) - 1
        lo = ctx.an.sents[j].start + _ordinal_start().match(ctx.an.sents[j].text).end()
        while lo < len(ctx.an.text) and ctx.an.text[lo].isspace():
            lo += 1
        out.append(Item(lo, ctx.an.sents[last].end, kind, n + 1))
        taken.update(range(j, last + 1))
    return out


def _paragraph_end(ctx: Ctx, j: int) -> int:
    """The index after the last sentence of sentence j's paragraph."""
    block = ctx.an.sents[j].block
    k = j + 1
    while k < len(ctx.an.sents) and ctx.an.sents[k].block is block:
        k += 1
    return k


# ------------------------------------------------------------------------------------------
# Writing them
# ------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _kind_terms() -> dict[str, URIRef]:
    """The concept of each kind, made once (the same term objects let ctx.emit find repeats by identity)."""
    return {kind: R2P[local] for kind, local in recommendation_data()["kinds"].items()}


def recommendation_iri(meeting_slug: str, text: str) -> URIRef:
    """The meeting, the item's first words (readable) and a digest of its whole normalised text (unique)."""
    words = re.findall(r"[^\W_]+", text.casefold())
    digest = hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()[:8]
    lead = iris.slug_or_digest(" ".join(words[:6]) or digest)[:48].strip("-")
    return iris.entity("recommendation", f"{meeting_slug}-{lead}-{digest}")


def _label(ctx: Ctx, item: Item, text: str) -> str:
    meeting = ctx.meeting.label or meeting_label(ctx, ctx.meeting.ordinal)
    words = text.split()
    snippet = " ".join(words[:8]) + ("…" if len(words) > 8 else "")
    number = f" {item.number}" if item.number is not None else ""
    return f"{meeting}: {item.kind}{number} ({snippet})"


@rule(reads=("found_mentions", "meeting", "situations"),
      writes=("r2p:addresses", "r2p:hasRecommendation", "r2p:mentions", "r2p:number", "r2p:recommendationKind",
             "r2p:recommendsMechanism", "r2p:text", "rdf:type", "skos:prefLabel"))
def rule_recommendations(ctx: Ctx) -> None:
    if ctx.meeting is None:
        return
    ments = sorted([*ctx.an.ments, *ctx.found_mentions], key=lambda m: m.start)
    starts = [m.start for m in ments]
    for item in list_items(ctx) + prose_items(ctx):
        text = ctx.an.mapped.published(ctx.original, item.start, item.end) if ctx.original \
            else ctx.an.text[item.start:item.end].strip()
        text = re.sub(r"\s+", " ", text).strip()
        if not text:
            continue
        iri = recommendation_iri(ctx.meeting.slug, text)
        where = (item.start, item.end)
        ctx.node(iri, R2P.Recommendation, _label(ctx, item, text), where)
        if item.number is not None:
            ctx.emit(iri, R2P.number, _literal(item.number, datatype=XSD.integer), where)
        ctx.emit(iri, R2P.text, _literal(text), where)
        ctx.emit(iri, R2P.recommendationKind, _kind_terms()[item.kind], where)
        ctx.emit(ctx.meeting.iri, R2P.hasRecommendation, iri, where)
        _links(ctx, iri, item, where, ments[bisect_left(starts, item.start):bisect_left(starts, item.end)])


def _links(ctx: Ctx, rec: URIRef, item: Item, where, ments: list) -> None:
    """What the item's own text names: mechanisms it recommends, the crimes, pillars and agents it is
    directed at (before its modal verb) or mentions, and the situations of states the document discusses.
    `ments` are the mentions inside the item, those the rules found (mechanisms of open classes) included."""
    text = ctx.an.text
    modal = re.search(r"\b(?:should|must|to)\b", text[item.start:item.end])
    modal_at = item.start + modal.start() if modal else item.start
    subjects = _subject_starts(text, item)
    for m in ments:
        if m.label == MECHANISM:
            ctx.emit(rec, R2P.recommendsMechanism, m.iri, where)
        elif m.label == CRIME:
            ctx.emit(rec, R2P.addresses, m.iri, where)
        elif m.label in (STATE, ORG_LABEL, GOV_BODY) and _usable_agent(ctx, m):
            addressed = m.end <= modal_at or m.start in subjects
            ctx.emit(rec, R2P.addresses if addressed else R2P.mentions, m.iri, where)
        elif m.label in (STATE, ORG_LABEL):
            ctx.emit(rec, R2P.mentions, m.iri, where)
        if m.label == STATE and m.iri in ctx.situations:
            ctx.emit(rec, R2P.mentions, iris.entity("situation", ctx.slug_of(m.iri)), where)
    for p in pillars_in(text[item.start:item.end]):
        ctx.emit(rec, R2P.addresses, p, where)


def _subject_starts(text: str, item: Item) -> set[int]:
    """Where the subject of a clause without a modal verb may start: the item's first words ('the Human
    Rights Council hold regular debates') and after 'that' ('suggested that the African Union appoint')."""
    body = text[item.start:item.end]
    starts = {item.start + re.match(r"(?:the\s+)?", body).end()}
    starts |= {item.start + m.end() for m in re.finditer(r"\bthat\s+(?:the\s+)?", body)}
    return starts
