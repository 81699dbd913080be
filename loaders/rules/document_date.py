"""The page's own date: a date line is when the page was published, never when an event was held."""
from __future__ import annotations

import re
from functools import lru_cache
from rdflib import Literal
from r2pkg.graph import iris
from ..analysis import Sent
from ..wordlists import word_alternation
from .base import Ctx, DCT, DateFound, XSD, _meeting_data, find_date


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
    return re.compile(word_alternation(_meeting_data()[name], ignore_case=True) + r"(?![\w-])")


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
    ctx.issued = date.start
    ctx.default_year = int(str(date.start)[:4])


def _date_line(ctx: Ctx) -> Literal | None:
    """The page's date line, the date a news item states its news on (read by rule_document_date)."""
    return ctx.issued
