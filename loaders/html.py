"""Web pages as sites publish them: the page's own metadata, and the ranges of its markup that are not the article.

A press release or news item on a real site comes wrapped in navigation, a site header and footer, share
buttons, scripts and a cookie banner. `boilerplate_ranges` finds those elements with the standard library's
HTML parser (by tag, ARIA role, and id or class words listed in gazetteers/html.json) so loaders/text.py can
drop them while every offset still maps back to the page as published. A header inside the article or main
element is kept: it holds the article's title and its date line, the publication date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from .gazetteer import data_json

VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


@dataclass(frozen=True)
class _Rules:
    tags: frozenset[str]            # elements never part of an article
    outside_article: frozenset[str]  # elements dropped unless inside <article> or <main>
    roles: frozenset[str]
    words: re.Pattern               # how an id or class token of page furniture starts


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = data_json("html.json")
    words = "|".join(re.escape(w) for w in sorted(data["id_class_words"], key=len, reverse=True))
    return _Rules(frozenset(data["drop_tags"]), frozenset(data["drop_outside_article"]), frozenset(data["drop_roles"]),
                  re.compile(rf"(?i)(?:{words})(?:$|[_-])"))


class _Scanner(HTMLParser):
    """Start and end offsets of the elements to drop, matched by nesting of the same tag name."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.rules = _rules()
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.open: list[str] = []                         # the open elements, outermost first
        self.dropping: tuple[str, int, int] | None = None  # (tag, start offset, depth of that tag inside)
        self.ranges: list[tuple[int, int]] = []

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping is not None:
            name, start, depth = self.dropping
            if tag == name:
                self.dropping = (name, start, depth + 1)
        elif self._is_furniture(tag, dict(attrs)):
            self.dropping = (tag, self.position(), 1) if tag not in VOID else None
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs) -> None:
        pass  # <br/>, <img/>: nothing inside to drop

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass
        if self.dropping is None or tag != self.dropping[0]:
            return
        name, start, depth = self.dropping
        if depth > 1:
            self.dropping = (name, start, depth - 1)
            return
        self.ranges.append((start, self.position()))
        self.dropping = None

    def _is_furniture(self, tag: str, attrs: dict[str, str | None]) -> bool:
        rules = self.rules
        if tag in rules.tags:
            return True
        if tag in rules.outside_article and not {"article", "main"} & set(self.open):
            return True
        if (attrs.get("role") or "").lower() in rules.roles:
            return True
        if tag in ("body", "html", "main", "article"):
            return False
        tokens = f"{attrs.get('id') or ''} {attrs.get('class') or ''}".split()
        return any(rules.words.match(token) for token in tokens)


def boilerplate_ranges(text: str) -> list[tuple[int, int]]:
    """[start, end) ranges of the page's furniture elements, each from its start tag to its end tag's start
    (the end tag itself is left to the markup stripper). An element never closed is left in."""
    scanner = _Scanner(text)
    try:
        scanner.feed(text)
        scanner.close()
    except AssertionError:   # html.parser's "we should not get here" on some malformed markup
        return scanner.ranges
    return scanner.ranges


# ---------------------------------------------------------------------------------------------
# Metadata

class _MetaReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.lang = ""

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"].strip()
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower().strip()
            if key and a.get("content", "").strip() and key not in self.meta:
                self.meta[key] = re.sub(r"\s+", " ", a["content"]).strip()


# The meta names of each metadata field, first found wins.
_META_KEYS = {
    "title": ("og:title", "dc.title", "dcterms.title", "twitter:title", "headline"),
    "issued": ("article:published_time", "dc.date", "dcterms.issued", "dcterms.date", "date", "datepublished",
               "pubdate", "publish-date"),
    "publisher": ("og:site_name", "dc.publisher", "dcterms.publisher", "publisher"),
    "language": ("dc.language", "dcterms.language", "og:locale"),
}


def html_metadata(text: str) -> dict[str, str]:
    """Title, publication date (YYYY-MM-DD or YYYY), publisher and language from the page's <meta> tags and
    <html lang>."""
    reader = _MetaReader()
    reader.feed(text[:200_000])   # metadata sits in the head
    found: dict[str, str] = {}
    for field, keys in _META_KEYS.items():
        value = next((reader.meta[k] for k in keys if k in reader.meta), "")
        if field == "issued":
            m = re.match(r"(\d{4})(?:-(\d{2})-(\d{2}))?", value)
            value = (f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m.group(2) else m.group(1)) if m else ""
        if field == "language":
            value = (value or reader.lang).replace("_", "-")
            if not re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", value):
                value = ""
        if value:
            found[field] = value
    return found
