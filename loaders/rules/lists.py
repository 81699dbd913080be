"""Agents in a sentence: lists of them, which of them can take part, what sits in parentheses."""
from __future__ import annotations

import re
from ..analysis import Ment, Sent
from ..gazetteer import ORG as ORG_LABEL, STATE
from .base import Ctx, GROUP_CLASS, NETWORK


def _usable_agent(ctx: Ctx, m: Ment) -> bool:
    if m.iri == NETWORK:
        return False
    e = ctx.gaz.get(m.iri)
    return not (e is not None and e.cls == GROUP_CLASS)


def _in_parens(text: str, pos: int) -> bool:
    return text.rfind("(", 0, pos) > text.rfind(")", 0, pos)


def _coordinated_tail(s: Sent, agents: list[Ment]) -> list[Ment]:
    """The last agent and those listed with it: 'the governments of Spain and Chile' -> both."""
    tail = agents[-1:]
    for prev in reversed(agents[:-1]):
        gap = s.text[prev.end - s.start:tail[0].start - s.start]
        if not re.fullmatch(r"\s*(?:,\s*(?:and\s+)?|and\s+)(?:the\s+)?", gap):
            break
        tail.insert(0, prev)
    return tail


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
